using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using TensorFusion.Agent.Limiting;

namespace TensorFusion.Agent.Tests.Limiting;

/// <summary>The C# region and native/include/tfshim_region.h agree byte for byte.</summary>
public sealed partial class RegionLayoutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tf-region-").FullName;

    [Fact]
    public void Offsets_EveryAssertInTheCHeader_MatchesRegionLayout()
    {
        var header = File.ReadAllText(Path.Combine(NativeDirectory(), "include", "tfshim_region.h"));
        var expected = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["tfshim_region_header.version"] = RegionLayout.HeaderVersion,
            ["tfshim_region_header.region_size"] = RegionLayout.HeaderRegionSize,
            ["tfshim_region_header.device_count"] = RegionLayout.HeaderDeviceCount,
            ["tfshim_region_header.flags"] = RegionLayout.HeaderFlags,
            ["tfshim_region_header.generation"] = RegionLayout.HeaderGeneration,
            ["tfshim_region_header.heartbeat_ns"] = RegionLayout.HeaderHeartbeatNs,
            ["tfshim_region_header.device_offset"] = RegionLayout.HeaderDeviceOffset,
            ["tfshim_region_header.slot_stride"] = RegionLayout.HeaderSlotStride,
            ["tfshim_region_device.memory_soft_bytes"] = RegionLayout.DeviceMemorySoftBytes,
            ["tfshim_region_device.memory_hard_bytes"] = RegionLayout.DeviceMemoryHardBytes,
            ["tfshim_region_device.compute_soft_percent"] = RegionLayout.DeviceComputeSoftPercent,
            ["tfshim_region_device.compute_hard_percent"] = RegionLayout.DeviceComputeHardPercent,
            ["tfshim_region_device.used_bytes"] = RegionLayout.DeviceUsedBytes,
            ["tfshim_region_device.overhead_bytes"] = RegionLayout.DeviceOverheadBytes,
            ["tfshim_region_device.tokens"] = RegionLayout.DeviceTokens,
            ["tfshim_region_device.token_capacity"] = RegionLayout.DeviceTokenCapacity,
            ["tfshim_region_device.refill_tokens_per_s"] = RegionLayout.DeviceRefillTokensPerSecond,
            ["tfshim_region_device.last_refill_ns"] = RegionLayout.DeviceLastRefillNs,
            ["tfshim_region_device.launch_count"] = RegionLayout.DeviceLaunchCount,
            ["tfshim_region_device.throttled_ns"] = RegionLayout.DeviceThrottledNs,
            ["tfshim_region_device.oom_refusals"] = RegionLayout.DeviceOomRefusals,
            ["tfshim_region_device.reclaimed_bytes"] = RegionLayout.DeviceReclaimedBytes,
            ["tfshim_region_device.launch_cost_tokens"] = RegionLayout.DeviceLaunchCostTokens,
            ["tfshim_region_slot.pid_namespace"] = RegionLayout.SlotPidNamespace,
            ["tfshim_region_slot.start_time"] = RegionLayout.SlotStartTime,
            ["tfshim_region_slot.bytes"] = RegionLayout.SlotBytes,
            ["tfshim_region.devices"] = RegionLayout.DeviceOffset,
            ["tfshim_region.slots"] = RegionLayout.SlotOffset,
        };
        var asserted = OffsetAssert().Matches(header).ToDictionary(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}", m => int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.OrderBy(kv => kv.Key), asserted.OrderBy(kv => kv.Key));
        Assert.Contains($"sizeof(tfshim_region) == {RegionLayout.RegionSize}", header, StringComparison.Ordinal);
        Assert.Contains($"sizeof(tfshim_region_slot) == {RegionLayout.SlotStride}", header, StringComparison.Ordinal);
        Assert.Contains($"sizeof(tfshim_region_device) == {RegionLayout.DeviceStride}", header, StringComparison.Ordinal);
        Assert.Contains($"TFSHIM_REGION_MAGIC 0x{RegionLayout.Magic:X16}ull", header, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_RegionWrittenFromCSharp_ReadsTheSameInC()
    {
        var dump = BuildRegionDump();
        var path = Path.Combine(_directory, "team_w.region");
        using (var region = WorkerRegion.OpenOrCreate(path, [
            new RegionDeviceLimits("GPU-aaaa-0001", 8L << 30, 16L << 30, 25, 50),
            new RegionDeviceLimits("GPU-bbbb-0002", 1L << 30, 2L << 30, 10, 0),
        ]))
        {
            region.Heartbeat(123_456_789);
            region.Refill(0, 700, 2500, 5000); // 700 tokens added, capacity 2500, rate 5000/s
            region.SetOverhead(1, 300L << 20);
        }

        using var json = JsonDocument.Parse(Run(dump, path));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(RegionLayout.RegionSize, root.GetProperty("regionSize").GetInt64());
        Assert.Equal(2, root.GetProperty("deviceCount").GetInt32());
        Assert.Equal(RegionLayout.MaxSlots, root.GetProperty("slotCount").GetInt32());
        Assert.Equal((int)RegionLayout.FlagAgentOwned, root.GetProperty("flags").GetInt32());
        Assert.Equal(123_456_789, root.GetProperty("heartbeatNs").GetInt64());
        Assert.Equal(RegionLayout.SlotOffset, root.GetProperty("slotOffset").GetInt32());
        var first = root.GetProperty("devices")[0];
        Assert.Equal("GPU-aaaa-0001", first.GetProperty("uuid").GetString());
        Assert.Equal(8L << 30, first.GetProperty("memorySoftBytes").GetInt64());
        Assert.Equal(16L << 30, first.GetProperty("memoryHardBytes").GetInt64());
        Assert.Equal(25, first.GetProperty("computeSoftPercent").GetInt32());
        Assert.Equal(50, first.GetProperty("computeHardPercent").GetInt32());
        Assert.Equal(700, first.GetProperty("tokens").GetInt64());
        Assert.Equal(2500, first.GetProperty("tokenCapacity").GetInt64());
        Assert.Equal(5000, first.GetProperty("refillTokensPerSecond").GetInt64());
        var second = root.GetProperty("devices")[1];
        Assert.Equal("GPU-bbbb-0002", second.GetProperty("uuid").GetString());
        Assert.Equal(0, second.GetProperty("computeHardPercent").GetInt32());
        Assert.Equal(300L << 20, second.GetProperty("overheadBytes").GetInt64());
        Assert.Equal(0, root.GetProperty("slots").GetArrayLength());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Compiles native/tools/tfshim_region_dump.c (the shim's own region reader) with the system C compiler.</summary>
    private string BuildRegionDump()
    {
        var native = NativeDirectory();
        var output = Path.Combine(_directory, "tfshim-region-dump");
        var result = Run("cc", "-std=c11", "-O1", "-Wall", "-Werror", "-I", Path.Combine(native, "include"),
            Path.Combine(native, "tools", "tfshim_region_dump.c"), "-o", output);
        Assert.True(File.Exists(output), $"cc produced no reader: {result}");
        return output;
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"{file} did not exit within 60 s");
        Assert.True(process.ExitCode == 0, $"{file} exited {process.ExitCode}: {stderr}");
        return stdout.Result;
    }

    private static string NativeDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var native = Path.Combine(directory.FullName, "native");
            if (File.Exists(Path.Combine(native, "include", "tfshim_region.h")))
            {
                return native;
            }
        }

        throw new DirectoryNotFoundException($"native/include/tfshim_region.h not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"TFSHIM_ASSERT_OFFSET\((\w+), (\w+), (\d+)\)")]
    private static partial Regex OffsetAssert();
}
