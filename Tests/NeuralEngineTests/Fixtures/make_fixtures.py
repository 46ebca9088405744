"""Generates tiny_model.safetensors: a tiny NeuralEngine model's weights, a batch, and what
PyTorch computes for it (logits, losses, loss, every gradient, two AdamW steps).

Run once from the repository root with the benchmark venv:
    .venv-bench/bin/python Tests/NeuralEngineTests/Fixtures/make_fixtures.py
The reference forward runs in float64 from float32 weights; results are stored as float32.
The architecture mirrors Sources/NeuralEngine/ModelConfig.swift: RMSNorm pre-norm blocks, RoPE
("rotate half", positions counted from each document's start), causal attention limited to the
position's document, tanh-GELU MLP, no biases, untied head plus an extra head for the token
after next, loss = (sum w*CE + sum w2*CE2) / (sum w + sum w2).
"""
import json
import math
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(1234)
V, C, L, NH, MULT, T, B = 23, 16, 2, 2, 4, 9, 2
HS, H = C // NH, C * MULT
EPS, BASE = 1e-5, 10000.0
config = dict(vocabularySize=V, width=C, layers=L, heads=NH, mlpMultiplier=MULT, contextLength=T,
              extraHead=True, ropeBase=BASE, normEpsilon=EPS)

names = [("wte.weight", (V, C))]
for l in range(L):
    p = f"blocks.{l}."
    names += [(p + "norm1.weight", (C,)), (p + "attn.qkv.weight", (3 * C, C)), (p + "attn.proj.weight", (C, C)),
              (p + "norm2.weight", (C,)), (p + "mlp.fc.weight", (H, C)), (p + "mlp.proj.weight", (C, H))]
names += [("norm_f.weight", (C,)), ("head.weight", (V, C)), ("head2.weight", (V, C))]

params32 = {}
for n, shape in names:
    if len(shape) == 1:
        params32[n] = (1.0 + 0.2 * torch.randn(shape)).float()
    else:
        params32[n] = (torch.randn(shape) * (0.5 / math.sqrt(shape[1]) if n != "wte.weight" else 1.0)).float()

tokens = torch.randint(0, V, (B, T))
targets = torch.randint(0, V, (B, T))
targets2 = torch.randint(0, V, (B, T))
weights = torch.rand(B, T)
weights[0, 3] = 0.0
weights[1, 0] = 0.0
weights2 = torch.rand(B, T) * 0.5
weights2[1, 5] = 0.0
docs = torch.tensor([[0] * T, [0, 0, 0, 1, 1, 1, 1, 2, 2]])

def starts_of(d):
    s = torch.zeros_like(d)
    for b in range(d.shape[0]):
        for t in range(1, d.shape[1]):
            s[b, t] = s[b, t - 1] if d[b, t] == d[b, t - 1] else t
    return s

starts = starts_of(docs)
pos = torch.arange(T)[None, :] - starts  # (B, T)

def rmsnorm(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * w

def rope(x):  # (B, NH, T, HS)
    half = HS // 2
    inv = BASE ** (-2.0 * torch.arange(half, dtype=torch.float64) / HS)
    ang = pos[..., None].double() * inv  # (B, T, half)
    cos = ang.cos().float().double()[:, None]
    sin = ang.sin().float().double()[:, None]
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)

i = torch.arange(T)
allowed = (i[None, :, None] >= i[None, None, :]) & (docs[:, :, None] == docs[:, None, :])  # (B, T, T)

def forward(P):
    x = P["wte.weight"][tokens]
    for l in range(L):
        p = f"blocks.{l}."
        h = rmsnorm(x, P[p + "norm1.weight"])
        qkv = h @ P[p + "attn.qkv.weight"].T
        q, k, v = qkv.split(C, dim=-1)
        q, k, v = [t.view(B, T, NH, HS).transpose(1, 2) for t in (q, k, v)]
        q, k = rope(q), rope(k)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(HS)
        att = att.masked_fill(~allowed[:, None], float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + y @ P[p + "attn.proj.weight"].T
        h = rmsnorm(x, P[p + "norm2.weight"])
        x = x + F.gelu(h @ P[p + "mlp.fc.weight"].T, approximate="tanh") @ P[p + "mlp.proj.weight"].T
    h = rmsnorm(x, P["norm_f.weight"])
    logits = h @ P["head.weight"].T
    logits2 = h @ P["head2.weight"].T
    ce = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), reduction="none").view(B, T)
    ce2 = F.cross_entropy(logits2.reshape(-1, V), targets2.reshape(-1), reduction="none").view(B, T)
    w, w2 = weights.double(), weights2.double()
    loss = ((w * ce).sum() + (w2 * ce2).sum()) / (w.sum() + w2.sum())
    return logits, logits2, ce, loss

P64 = {n: t.double().requires_grad_(True) for n, t in params32.items()}
logits, logits2, ce, loss = forward(P64)
loss.backward()
grads = {n: P64[n].grad.float() for n in params32}
grad_norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads.values()))

# Two AdamW steps (float32, the same gradients both times), decay on matrices only.
LR, WD = 1e-2, 0.1
P32 = {n: t.clone().requires_grad_(True) for n, t in params32.items()}
opt = torch.optim.AdamW([
    {"params": [P32[n] for n, s in names if len(s) > 1], "weight_decay": WD},
    {"params": [P32[n] for n, s in names if len(s) == 1], "weight_decay": 0.0},
], lr=LR, betas=(0.9, 0.999), eps=1e-8, foreach=False)
after = []
for _ in range(2):
    for n in P32:
        P32[n].grad = grads[n].clone()
    opt.step()
    after.append({n: P32[n].detach().clone() for n in P32})

out = {}
for n in params32:
    out["param." + n] = params32[n].contiguous()
    out["grad." + n] = grads[n].contiguous()
    out["adamw1." + n] = after[0][n].contiguous()
    out["adamw2." + n] = after[1][n].contiguous()
f = lambda t: t.float().contiguous()
out.update({
    "input.tokens": f(tokens), "input.targets": f(targets), "input.weights": f(weights),
    "input.targets2": f(targets2), "input.weights2": f(weights2), "input.docs": f(docs),
    "out.logits": f(logits.detach()), "out.logits2": f(logits2.detach()), "out.losses": f(ce.detach()),
    "out.loss": f(loss.detach().view(1)), "out.grad_norm": f(grad_norm.view(1)),
})
meta = {"config": json.dumps(config, sort_keys=True), "adamw_lr": str(LR), "adamw_weight_decay": str(WD),
        "torch_version": torch.__version__, "generator": "make_fixtures.py"}
here = os.path.dirname(os.path.abspath(__file__))
save_file(out, os.path.join(here, "tiny_model.safetensors"), metadata=meta)
print("loss", loss.item(), "grad_norm", grad_norm.item())
