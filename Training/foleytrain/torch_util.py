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


def fold_weight_norm(module):
    """Replaces every weight-norm parametrisation (g, v) under `module` by its plain weight
    g·v/‖v‖, so exported files hold ordinary `weight` tensors and the runtime needs no
    weight-norm op. Works with both torch.nn.utils.weight_norm (torch 1.x/2.x) and the
    parametrize-based variant (torch 2.x)."""
    import torch.nn.utils as U
    for m in module.modules():
        if hasattr(m, "weight_g") and hasattr(m, "weight_v"):
            U.remove_weight_norm(m)
        elif hasattr(m, "parametrizations") and "weight" in getattr(m, "parametrizations", {}):
            import torch.nn.utils.parametrize as P
            P.remove_parametrizations(m, "weight", leave_parametrized=True)
    return module
