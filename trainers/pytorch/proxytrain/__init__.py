"""A PyTorch trainer for the workbench's proxy-training runs, at GPU scale.

It trains the NeuralEngine architecture on a stream exported by
``workbench export --format training-stream`` (the packed batches the workbench's own trainer
consumes, step by step), with the same optimizer, schedule and evaluation, and writes a run
directory the workbench can ``eval`` and ``report``. The method is the paper's: "Proxy
Compression for Language Modeling" (arXiv 2602.04289).

Modules, one concept each: ``safetensors_io`` (the workbench's weight and checkpoint files),
``model`` (the architecture), ``stream`` (reading the exported batches), ``optim`` (AdamW, the
schedule, clipping), ``evaluation`` (raw-byte bits per byte), ``distributed`` (torchrun, DDP,
FSDP), ``run_directory`` (the files of a run), ``train`` (the loop) and ``cli``.
"""

__version__ = "1.0.0"
