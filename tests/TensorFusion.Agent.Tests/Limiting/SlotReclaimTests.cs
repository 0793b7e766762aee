using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.Limiting;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Tests.Limiting;

/// <summary>Slots of dead processes, and the region's life with the plan.</summary>
public sealed class SlotReclaimTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tf-slots-").FullName;
    private readonly WorkerLimiter _limiter;

    public SlotReclaimTests() => _limiter = new WorkerLimiter(_directory, new FakeTimeProvider(), new ProcSlotLiveness("/proc").IsAlive);

    [Fact]
    public void SweepSlots_OwnerExited_ReleasesItsBytesAndKeepsTheLiveOwner()
    {
        Limit("team_w");
        var path = _limiter.RegionPath("team_w");
        var deadPid = ExitedPid();
        var ns = OwnPidNamespace();
        // As the shim would have charged them: the dead process 3 GiB, this (live) process 1 GiB; used = 4 GiB.
        WriteSlot(path, 0, deadPid, ns, startTime: 0, bytes: 3L << 30);
        WriteSlot(path, 1, Environment.ProcessId, ns, OwnStartTime(), bytes: 1L << 30);
        WriteUsed(path, 4L << 30);

        Assert.Equal(1, _limiter.SweepSlots());

        using var region = WorkerRegion.Open(path);
        var counters = region.Read(0);
        Assert.Equal(1L << 30, counters.UsedBytes);      // 4 GiB − the dead process's 3 GiB
        Assert.Equal(3L << 30, counters.ReclaimedBytes);
        Assert.Equal([Environment.ProcessId], region.HeldSlots().Select(s => s.Pid));
        Assert.Equal(0, _limiter.SweepSlots()); // nothing twice
    }

    [Fact]
    public void SweepSlots_PidReusedWithAnotherStartTime_Reclaims()
    {
        Limit("team_w");
        var path = _limiter.RegionPath("team_w");
        // This process's pid, but a start time it never had: the slot's owner was an earlier process with this pid.
        WriteSlot(path, 5, Environment.ProcessId, OwnPidNamespace(), OwnStartTime() + 1, bytes: 1L << 20);
        WriteUsed(path, 1L << 20);

        Assert.Equal(1, _limiter.SweepSlots());
        using var region = WorkerRegion.Open(path);
        Assert.Equal(0, region.Read(0).UsedBytes);
    }

    [Fact]
    public void Sync_WorkerLeavesThePlan_RemovesItsRegion()
    {
        Limit("team_a", "team_b");
        Assert.True(File.Exists(_limiter.RegionPath("team_a")));
        Limit("team_b");
        Assert.False(File.Exists(_limiter.RegionPath("team_a")));
        Assert.True(File.Exists(_limiter.RegionPath("team_b")));
        Assert.Equal(["team_b"], _limiter.Workers);
    }

    [Fact]
    public void OpenOrCreate_ExistingRegion_AdoptsItsChargesAndUpdatesLimits()
    {
        // An agent restart must not replace the file the worker's processes have mapped.
        var path = Path.Combine(_directory, "team_w.region");
        using (WorkerRegion.OpenOrCreate(path, [new RegionDeviceLimits("GPU-x", 1, 2L << 30, 10, 20)]))
        {
        }

        WriteUsed(path, 5L << 20);
        using var mappedByAWorker = WorkerRegion.Open(path);
        using var region = WorkerRegion.OpenOrCreate(path, [new RegionDeviceLimits("GPU-x", 1, 4L << 30, 10, 40)]);
        Assert.Equal(5L << 20, region.Read(0).UsedBytes);
        Assert.Equal(2UL, region.Generation); // written twice: create, then the new limits
        region.Heartbeat(42);
        Assert.Equal(42, mappedByAWorker.HeartbeatNs); // same file, not a replacement
    }

    public void Dispose()
    {
        _limiter.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Limit(params string[] workers) =>
        _limiter.Sync(workers.ToDictionary(w => w, _ => (IReadOnlyList<WorkerLimits>)
            [new WorkerLimits("GPU-x", IsolationMode.Soft, 25, 50, 8L << 30, 16L << 30)], StringComparer.Ordinal));

    private static int ExitedPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "'true' did not exit within 30 s");
        return process.Id;
    }

    private static uint OwnPidNamespace()
    {
        var target = new FileInfo("/proc/self/ns/pid").LinkTarget!; // "pid:[4026531836]"
        return uint.Parse(target[(target.IndexOf('[', StringComparison.Ordinal) + 1)..^1], CultureInfo.InvariantCulture);
    }

    private static ulong OwnStartTime()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return ulong.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }

    /// <summary>Writes a slot as the shim does (pid last), straight into the file.</summary>
    private static void WriteSlot(string path, int index, int pid, uint ns, ulong startTime, long bytes)
    {
        var slot = RegionLayout.Slot(index);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, bytes);
        RandomAccess.Write(file, buffer, slot + RegionLayout.SlotBytes); // device entry 0
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, startTime);
        RandomAccess.Write(file, buffer, slot + RegionLayout.SlotStartTime);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, ns);
        RandomAccess.Write(file, buffer.AsSpan(0, 4), slot + RegionLayout.SlotPidNamespace);
        BinaryPrimitives.WriteInt32LittleEndian(buffer, pid);
        RandomAccess.Write(file, buffer.AsSpan(0, 4), slot + RegionLayout.SlotPid);
    }

    private static void WriteUsed(string path, long bytes)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, bytes);
        RandomAccess.Write(file, buffer, RegionLayout.Device(0) + RegionLayout.DeviceUsedBytes);
    }
}
