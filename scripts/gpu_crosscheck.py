#!/usr/bin/env python3
"""Cross-checks tfaccel-probe (our C NVML backend) against NVIDIA's own Python bindings (pynvml, nvidia-ml-py).

Both read the same driver, so every number must agree exactly; a difference means one of our hand-written NVML
struct layouts or call signatures is wrong. With --load it first starts a CUDA process (PyTorch) that holds 2 GiB and
keeps the GPU busy, so the process list (pid, memory, utilisation) is exercised too. Prints one PASS/FAIL line per
check and exits 1 on any FAIL. Used by scripts/gpu-check.sh when pynvml is importable.
"""
import re
import subprocess
import sys
import time

import pynvml

LOAD = r"""
import sys, time, torch
x = torch.empty(2 * 1024**3, dtype=torch.uint8, device='cuda')
a = torch.randn(4096, 4096, device='cuda')
print('ready', flush=True)
end = time.time() + 40
while time.time() < end:
    a = (a @ a).clamp_(-1, 1)
    torch.cuda.synchronize()
"""

failures = 0


def check(name, ok, detail):
    global failures
    failures += 0 if ok else 1
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")


def probe(binary):
    out = subprocess.run([binary], capture_output=True, text=True, timeout=120).stdout
    print(out, end="")
    devices = {int(m[1]): {"uuid": m[2], "memory": int(m[3]), "sms": int(m[4])}
               for m in re.finditer(r"^\s+\[(\d+)\] (\S+) .* memory_bytes=(\d+) sms=(\d+)", out, re.M)}
    used = [int(m[1]) for m in re.finditer(r"metrics: util=\d+% memory_used_bytes=(\d+)", out)]
    processes = {int(m[1]): int(m[2]) for m in re.finditer(r"pid=(\d+) device=\d+ memory_bytes=(\d+)", out)}
    profiles = {int(m[2]): m[1] for m in re.finditer(r"mig profile (\S+)\s+id=(\d+)", out)}
    return devices, used, processes, profiles


def main():
    binary = sys.argv[1]
    load = None
    if "--load" in sys.argv:
        load = subprocess.Popen([sys.executable, "-c", LOAD], stdout=subprocess.PIPE, text=True)
        line = load.stdout.readline().strip()
        check("load started", line == "ready", f"CUDA load process pid {load.pid} said {line!r}")
    try:
        devices, used, processes, profiles = probe(binary)
        pynvml.nvmlInit()
        count = pynvml.nvmlDeviceGetCount()
        check("device count", count == len(devices), f"nvml {count}, probe {len(devices)}")
        for i in range(count):
            handle = pynvml.nvmlDeviceGetHandleByIndex(i)
            uuid = pynvml.nvmlDeviceGetUUID(handle)
            uuid = uuid.decode() if isinstance(uuid, bytes) else uuid
            memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
            mine = devices.get(i, {})
            check(f"[{i}] uuid", mine.get("uuid") == uuid, f"nvml {uuid}, probe {mine.get('uuid')}")
            check(f"[{i}] memory total", mine.get("memory") == memory.total, f"nvml {memory.total}, probe {mine.get('memory')}")
            if i < len(used):
                # used moves while the load runs; the two reads are a moment apart
                check(f"[{i}] memory used", abs(used[i] - memory.used) < 512 * 1024**2, f"nvml {memory.used}, probe {used[i]}")
            for index in range(15):
                try:
                    info = pynvml.nvmlDeviceGetGpuInstanceProfileInfo(handle, index)
                except pynvml.NVMLError:
                    continue
                check(f"[{i}] mig profile {info.id}", info.id in profiles,
                      f"nvml slices={info.sliceCount} memory={info.memorySizeMB} MB sms={info.multiprocessorCount}, probe {profiles.get(info.id)}")
            try:
                nvml_processes = pynvml.nvmlDeviceGetComputeRunningProcesses(handle)
            except pynvml.NVMLError as error:
                nvml_processes = []
                print(f"note: nvmlDeviceGetComputeRunningProcesses: {error}")
            for p in nvml_processes:
                check(f"[{i}] process {p.pid}", processes.get(p.pid) == (p.usedGpuMemory or 0),
                      f"nvml memory {p.usedGpuMemory}, probe {processes.get(p.pid)}")
        if load is not None:
            check("load visible", load.pid in processes, f"probe saw pids {sorted(processes)}; load pid {load.pid}")
            # Utilisation is averaged over the driver's sampling window: give the load a few seconds, then read again.
            handle = pynvml.nvmlDeviceGetHandleByIndex(0)
            for _ in range(20):
                if pynvml.nvmlDeviceGetUtilizationRates(handle).gpu > 50:
                    break
                time.sleep(0.5)
            out = subprocess.run([binary], capture_output=True, text=True, timeout=120).stdout
            util = re.search(r"metrics: util=(\d+)%", out)
            sm = re.search(rf"pid={load.pid} device=\d+ memory_bytes=\d+ sm=(\d+)%", out)
            nvml_util = pynvml.nvmlDeviceGetUtilizationRates(handle).gpu
            check("utilization under load", util is not None and int(util[1]) > 0,
                  f"probe {util[1] if util else None}%, nvml {nvml_util}%")
            print(f"note: per-process SM utilisation of the load: {sm[1] if sm else 'not reported'}%")
        pynvml.nvmlShutdown()
    finally:
        if load is not None:
            load.kill()
    print(f"crosscheck: {'PASS' if failures == 0 else f'{failures} FAIL'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
