"""PyTorch CPU reference for `workbench bench engine`: the same architecture as NeuralEngine
(RMSNorm pre-norm blocks, RoPE, causal attention, tanh-GELU MLP, no biases, untied head),
timed the same way, printing the same JSON fields. Run by Benchmarks/engine/run.sh.

    python pytorch_bench.py --vocab 320 --width 256 --layers 4 --heads 4 --context 512 --batch 8 --steps 10
    python pytorch_bench.py --mode infer --width 128 --layers 2 --context 512 --batch 1 --steps 2
"""
import argparse
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, nh, mult, eps):
        super().__init__()
        self.nh, self.eps = nh, eps
        self.norm1 = nn.Parameter(torch.ones(c))
        self.qkv = nn.Linear(c, 3 * c, bias=False)
        self.proj = nn.Linear(c, c, bias=False)
        self.norm2 = nn.Parameter(torch.ones(c))
        self.fc = nn.Linear(c, mult * c, bias=False)
        self.fc_proj = nn.Linear(mult * c, c, bias=False)

    def attn_in(self, x, cos, sin):
        b, t, c = x.shape
        h = F.rms_norm(x, (c,), self.norm1, self.eps)
        q, k, v = self.qkv(h).split(c, dim=-1)
        q, k, v = [z.view(b, t, self.nh, c // self.nh).transpose(1, 2) for z in (q, k, v)]
        return rope(q, cos, sin), rope(k, cos, sin), v

    def rest(self, x, y):
        b, t, c = x.shape
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, c))
        h = F.rms_norm(x, (c,), self.norm2, self.eps)
        return x + self.fc_proj(F.gelu(self.fc(h), approximate="tanh"))

    def forward(self, x, cos, sin):
        q, k, v = self.attn_in(x, cos, sin)
        return self.rest(x, F.scaled_dot_product_attention(q, k, v, is_causal=True))


def rope(x, cos, sin):
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Model(nn.Module):
    def __init__(self, v, c, layers, nh, mult=4, eps=1e-5, base=10000.0):
        super().__init__()
        self.c, self.nh, self.eps, self.base = c, nh, eps, base
        self.wte = nn.Embedding(v, c)
        self.blocks = nn.ModuleList([Block(c, nh, mult, eps) for _ in range(layers)])
        self.norm_f = nn.Parameter(torch.ones(c))
        self.head = nn.Linear(c, v, bias=False)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def tables(self, positions):
        hs = self.c // self.nh
        inv = self.base ** (-2.0 * torch.arange(hs // 2, dtype=torch.float64) / hs)
        ang = positions[:, None].double() * inv
        return ang.cos().float(), ang.sin().float()

    def forward(self, tokens):
        cos, sin = self.tables(torch.arange(tokens.shape[1]))
        x = self.wte(tokens)
        for blk in self.blocks:
            x = blk(x, cos, sin)
        return self.head(F.rms_norm(x, (self.c,), self.norm_f, self.eps))

    @torch.no_grad()
    def step(self, token, cache, pos):
        """One token per sequence (B,) with a per-layer (k, v) cache; returns logits (B, V)."""
        cos, sin = self.tables(torch.tensor([pos]))
        x = self.wte(token)[:, None, :]
        for i, blk in enumerate(self.blocks):
            q, k, v = blk.attn_in(x, cos, sin)
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            cache[i] = (k, v)
            x = blk.rest(x, F.scaled_dot_product_attention(q, k, v))
        return self.head(F.rms_norm(x, (self.c,), self.norm_f, self.eps))[:, 0]


def main():
    ap = argparse.ArgumentParser()
    for name, default in [("vocab", 320), ("width", 256), ("layers", 4), ("heads", 4), ("context", 512),
                          ("batch", 8), ("steps", 10), ("warmup", 2), ("threads", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--mode", choices=["train", "infer"], default="train")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    m = Model(a.vocab, a.width, a.layers, a.heads)
    n_matmul = a.layers * 12 * a.width * a.width + a.vocab * a.width
    out = dict(engine="pytorch", torch=torch.__version__, mode=a.mode, vocab=a.vocab, width=a.width, layers=a.layers,
               heads=a.heads, context=a.context, batch=a.batch, steps=a.steps, threads=torch.get_num_threads(),
               parameters=sum(p.numel() for p in m.parameters()),
               # the vector ISA PyTorch's own kernels dispatched to (ours record blas_core)
               cpu_capability=getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", lambda: None)())
    if a.mode == "train":
        opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
        data = [torch.randint(0, a.vocab, (a.batch, a.context + 1)) for _ in range(2)]

        def step(i):
            d = data[i % 2]
            logits = m(d[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, a.vocab), d[:, 1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            opt.step()
            return loss.item()

        for i in range(a.warmup):
            step(i)
        c0 = time.process_time()
        t0 = time.perf_counter()
        for i in range(a.steps):
            loss = step(i)
        sec = time.perf_counter() - t0
        cpu = time.process_time() - c0
        tps = a.batch * a.context * a.steps / sec
        flops = 6 * n_matmul + 12 * a.layers * a.width * a.context
        out.update(tokens_per_second=tps, flops_per_token=flops, gflops=flops * tps / 1e9, seconds=sec, cpu_seconds=cpu, final_loss=loss)
    else:
        seqs = [torch.randint(0, a.vocab, (a.batch, a.context)) for _ in range(a.warmup + a.steps)]

        def decode(s):
            cache = [None] * a.layers
            acc = 0.0
            for t in range(a.context):
                p = torch.softmax(m.step(s[:, t], cache, t), dim=-1)
                acc += p[0, 0].item()
            return acc

        for i in range(a.warmup):
            decode(seqs[i])
        c0 = time.process_time()
        t0 = time.perf_counter()
        for i in range(a.steps):
            decode(seqs[a.warmup + i])
        sec = time.perf_counter() - t0
        cpu = time.process_time() - c0
        tps = a.batch * a.context * a.steps / sec
        with torch.no_grad():
            m(seqs[0])
            t0 = time.perf_counter()
            for i in range(a.steps):
                torch.softmax(m(seqs[a.warmup + i]), dim=-1)
            full = a.batch * a.context * a.steps / (time.perf_counter() - t0)
        flops = 2 * n_matmul + 4 * a.layers * a.width * ((a.context + 1) // 2)
        out.update(tokens_per_second=tps, flops_per_token=flops, gflops=flops * tps / 1e9, seconds=sec,
                   cpu_seconds=cpu, sequence_tokens_per_second=full)
    out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
