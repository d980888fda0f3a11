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
        state = torch.load(self.path, map_location="cpu")      # a lent GPU's checkpoints resume on CPU too
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


class SavedSizes:
    """A model's sizes (its `config` dict) kept in its checkpoint: resuming with other sizes
    stops with both, naming the options that set them, instead of failing in load_state_dict.
    Give it to Checkpoint first so the check runs before the weights are read."""

    def __init__(self, config, what, options):
        self.config, self.what, self.options = config, what, options

    def state_dict(self):
        return dict(self.config)

    def load_state_dict(self, state):
        if state != self.config:
            raise SystemExit(f"{self.what} checkpoint: got [{state}], expected [{self.config}] ({self.options})")


def one_cycle(opt, steps, start, max_lr=2e-3):
    fresh = "initial_lr" not in opt.param_groups[0]
    if not start or not fresh:
        return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=steps, pct_start=0.1,
                                                   last_epoch=start - 1 if start else -1)
    # A model resumed without its optimiser (a best-validation checkpoint, fine-tuned further):
    # the cycle is built from the start, then moved on to the resumed step.
    import warnings
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=steps, pct_start=0.1)
    sched.last_epoch = start - 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched.step()
    return sched


class Deadline:
    """A wall-clock budget (minutes; None = none) for runs on a lent machine that is given back
    at a fixed time: the loop stops early and saves rather than being killed mid-checkpoint."""

    def __init__(self, minutes):
        self.start, self.minutes = time.time(), minutes

    def elapsed(self):
        return (time.time() - self.start) / 60

    def passed(self, fraction=1.0):
        return self.minutes is not None and self.elapsed() >= fraction * self.minutes


def time_cycle(opt, deadline, max_lr):
    """One-cycle by wall-clock time (10% warm-up, cosine down to 1/100 of `max_lr`) for runs
    whose step count is unknown ahead: a lent machine's budget is minutes, not steps."""
    import math

    def factor(_):
        f = min(1.0, deadline.elapsed() / deadline.minutes)
        if f < 0.1:
            return max(f / 0.1, 0.04)
        return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * (f - 0.1) / 0.9))
    for group in opt.param_groups:
        group["lr"] = max_lr
    return torch.optim.lr_scheduler.LambdaLR(opt, factor)


def save_or_stop(ckpt, step, steps, save_every, deadline):
    """The end of a hand-written training step: checkpoint every `save_every` steps, at the last
    step and when `deadline` passes. True when the time budget is spent (stop the loop)."""
    if (step + 1) % save_every == 0 or step + 1 == steps or deadline.passed():
        ckpt.save(step + 1)
    if deadline.passed():
        log(f"time budget of {deadline.minutes} minutes spent at step {step + 1}")
        return True
    return False


def run(loss_fn, opt, sched, ckpt, start, steps, save_every, status=lambda: "", deadline=None, on_step=None):
    """The optimisation loop: step, log every 25 steps, checkpoint every `save_every` and at
    the end (or when `deadline` passes). `loss_fn()` draws a batch and returns the loss;
    `on_step(step)` runs after each step (evaluation). Returns the loss history."""
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
        if on_step:
            on_step(step + 1)
        if deadline and deadline.passed():
            log(f"time budget of {deadline.minutes} minutes spent at step {step + 1}")
            ckpt.save(step + 1)
            break
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
    ap.add_argument("--minutes", type=float, help="stop and save after this much wall-clock time")
    return ap
