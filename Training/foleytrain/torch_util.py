"""Shared PyTorch set-up: one CPU thread on these VMs, and safetensors export of state dicts."""
import numpy as np
import torch

from . import safetensors_io


def single_thread():
    """Two threads are slower than one on the project's 2-vCPU machines."""
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set in this process


def to_numpy(t):
    return t.detach().cpu().contiguous().float().numpy() if t.is_floating_point() else t.detach().cpu().numpy()


def export_state_dict(module, path, extra=None, metadata=None):
    tensors = {k: to_numpy(v) for k, v in module.state_dict().items()}
    for k, v in (extra or {}).items():
        tensors[k] = to_numpy(v) if torch.is_tensor(v) else np.asarray(v)
    safetensors_io.save(tensors, path, metadata=metadata)
