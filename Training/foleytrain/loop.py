"""What every trainer shares: a timestamped log, and checkpoints that make a run resumable
(a session can be stopped at any moment; the next run picks up at the saved step)."""
import os
import time

import torch


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


class Checkpoint:
    """Saves and restores named state_dict holders (modules, optimisers, tensors) atomically."""

    def __init__(self, path, **parts):
        self.path, self.parts, self.missing = path, parts, []

    def load(self):
        """The step to resume from (0 for a fresh run)."""
        if not os.path.exists(self.path):
            return 0
        state = torch.load(self.path)
        self.missing = [name for name in self.parts if name not in state]
        for name, part in self.parts.items():
            if name in self.missing:
                log(f"{os.path.basename(self.path)} has no '{name}': it starts fresh")
            elif isinstance(part, torch.Tensor):
                part.data.copy_(state[name])
            else:
                part.load_state_dict(state[name])
        log(f"resumed {os.path.basename(self.path)} at step {state['step']}")
        return state["step"]

    def save(self, step):
        state = {name: (p.data if isinstance(p, torch.Tensor) else p.state_dict()) for name, p in self.parts.items()}
        state["step"] = step
        torch.save(state, self.path + ".tmp")
        os.replace(self.path + ".tmp", self.path)


def one_cycle(opt, steps, start, max_lr=2e-3):
    return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=steps, pct_start=0.1,
                                               last_epoch=start - 1 if start else -1)


def run(loss_fn, opt, sched, ckpt, start, steps, save_every, status=lambda: ""):
    """The optimisation loop: step, log every 25 steps, checkpoint every `save_every` and at
    the end. `loss_fn()` draws a batch and returns the loss. Returns the loss history."""
    history = []
    for step in range(start, steps):
        loss = loss_fn()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        history.append(loss.item())
        if step % 25 == 0:
            log(f"step {step} loss {sum(history[-25:]) / len(history[-25:]):.3f} {status()}")
        if (step + 1) % save_every == 0 or step + 1 == steps:
            ckpt.save(step + 1)
    return history


def setup(args, seed=0):
    """One thread (CPU), fixed seeds; returns the numpy generator and the torch device."""
    import numpy as np
    from .torch_util import single_thread
    single_thread()
    torch.manual_seed(seed)
    return np.random.default_rng(seed), torch.device(getattr(args, "device", "cpu"))


def arguments(steps):
    """The options every trainer takes: corpus folder, steps, batch, checkpoint interval, export folder."""
    import argparse
    training = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(training, "..", "data", "foleyworld"))
    ap.add_argument("--steps", type=int, default=steps)
    ap.add_argument("--batch", type=int, default=24)
    ap.add_argument("--save-every", type=int, default=100)
    ap.add_argument("--out", default=os.path.join(training, "..", "Weights"))
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    return ap
