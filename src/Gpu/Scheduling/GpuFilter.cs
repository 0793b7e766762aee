using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Mig;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>Runs the per-GPU filters in upstream order and, when all pass, works out the share the worker would take.</summary>
internal static class GpuFilter
{
    public static FilterStage Check(GpuState gpu, RequestContext context, out GpuCandidate candidate)
    {
        candidate = default;
        var request = context.Request;
        var isolation = request.Isolation;
        if ((gpu.IsolationMode is { } mode && isolation != IsolationMode.Shared && mode != isolation)
            || (isolation == IsolationMode.Partitioned ? gpu.FractionalShares > 0 : gpu.Mig is { InstanceCount: > 0 }))
        {
            return FilterStage.IsolationMode;
        }

        if (!gpu.IsSchedulable)
        {
            return FilterStage.Phase;
        }

        if (context.Indices is { } indices && !indices.Contains(gpu.Index))
        {
            return FilterStage.GpuIndex;
        }

        if (isolation == IsolationMode.Shared && !gpu.IsIdle)
        {
            return FilterStage.SharedWholeGpu;
        }

        var capacity = gpu.Capacity;
        GpuResources take, limit;
        MigPlacement? partition = null;
        if (isolation == IsolationMode.Partitioned)
        {
            if (!TryChoosePartition(gpu, context, out take, out partition))
            {
                return FilterStage.PartitionTemplate;
            }

            limit = take;
        }
        else if (isolation == IsolationMode.Shared)
        {
            take = capacity;
            limit = capacity;
        }
        else
        {
            take = request.RequestOn(capacity);
            limit = request.LimitOn(capacity);
        }

        var available = gpu.Available;
        if (take.VramBytes > available.VramBytes)
        {
            return FilterStage.Vram;
        }

        if (take.MilliTflops > available.MilliTflops)
        {
            return FilterStage.Tflops;
        }

        if (!(gpu.LimitsAllocated + limit).FitsWithin(gpu.VirtualCapacity))
        {
            return FilterStage.VirtualCapacity;
        }

        if (context.Model is { } model && !ReferenceEquals(model, gpu.Model) && model.Name != gpu.Model.Name)
        {
            return FilterStage.GpuModel;
        }

        if (request.Vendor is { } vendor && !string.Equals(vendor, gpu.Model.Vendor, StringComparison.OrdinalIgnoreCase))
        {
            return FilterStage.Vendor;
        }

        if (!context.AffinityMatches(gpu.Node))
        {
            return FilterStage.NodeAffinity;
        }

        candidate = new GpuCandidate(gpu, take, limit, partition);
        return FilterStage.Passed;
    }

    private static bool TryChoosePartition(GpuState gpu, RequestContext context, out GpuResources take, out MigPlacement? partition)
    {
        take = default;
        partition = null;
        if (gpu.Mig is not { } occupancy)
        {
            return false;
        }

        foreach (var profile in context.ProfilesFor(gpu.Model))
        {
            var start = occupancy.ChooseStart(profile);
            if (start >= 0)
            {
                take = MigProfileChooser.ResourcesOf(profile, occupancy.Geometry, gpu.Capacity);
                partition = new MigPlacement(profile.Name, start);
                return true;
            }
        }

        return false;
    }
}
