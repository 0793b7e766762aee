using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Quotas;

public sealed class QuotaLedgerTests
{
    [Fact]
    public void Place_OverSingleMaxRequests_UnschedulableNamingField()
    {
        var quotas = new QuotaLedger([new GpuResourceQuota("team") { SingleMaxRequests = GpuResources.FromTflops(500, ByteSize.FromGibibytes(16)) }]);
        var allocator = new BatchAllocator(TestFleet.State(1, 1), quotas);

        var decision = allocator.Place(TestFleet.Request("w-0", 100, 20), TestFleet.Now);

        Assert.Equal("GPUResourceQuota team: single.maxRequests.vram is 16Gi but worker team/w-0 requests 20Gi per GPU", decision.Reason);
    }

    [Fact]
    public void Place_OverTotalRequests_MessageShowsUsedAddedAndLimit()
    {
        var quotas = new QuotaLedger([new GpuResourceQuota("team") { TotalRequests = GpuResources.FromTflops(10_000, ByteSize.FromGibibytes(80)) }]);
        var allocator = new BatchAllocator(TestFleet.State(2, 1), quotas);
        allocator.Place(TestFleet.Request("w-0", 10, 30), TestFleet.Now);
        allocator.Place(TestFleet.Request("w-1", 10, 30), TestFleet.Now);

        var decision = allocator.Place(TestFleet.Request("w-2", 10, 30), TestFleet.Now);

        // 30 + 30 = 60 GiB used; adding 30 GiB would make 90 GiB > 80 GiB.
        Assert.Equal(
            "GPUResourceQuota team: total.requests.vram would reach 90Gi (used 60Gi + 30Gi for 1 GPU(s)), over the limit 80Gi",
            decision.Reason);
    }

    [Fact]
    public void Check_MaxWorkersAndGpuCount_Enforced()
    {
        var ledger = new QuotaLedger([new GpuResourceQuota("team") { MaxWorkers = 1, SingleMaxGpuCount = 2 }]);
        ledger.Add(TestFleet.Request("w-0", 1, 1));

        Assert.Equal("GPUResourceQuota team: total.maxWorkers is 1 and 1 workers are already placed", ledger.Check(TestFleet.Request("w-1", 1, 1)));
        Assert.Equal("GPUResourceQuota team: single.maxGPUCount is 2 but worker team/w-2 asks for 4 GPUs", ledger.Check(TestFleet.Whole("w-2", 4)));
        Assert.Null(ledger.Check(TestFleet.Request("w-3", 1, 1, ns: "other")));
    }

    [Fact]
    public void Release_ReturnsQuotaUsage()
    {
        var quotas = new QuotaLedger([new GpuResourceQuota("team") { MaxWorkers = 1 }]);
        var allocator = new BatchAllocator(TestFleet.State(1, 1), quotas);
        allocator.Place(TestFleet.Request("w-0", 10, 10, gpus: 1), TestFleet.Now);

        allocator.Release("team/w-0");

        Assert.Equal(QuotaUsage.None, quotas.UsageOf("team"));
        Assert.Equal(DecisionKind.Place, allocator.Place(TestFleet.Request("w-1", 10, 10), TestFleet.Now).Kind);
    }
}
