using System.Text.RegularExpressions;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Plans;

/// <summary>Checks a pushed plan before anything touches the device; every error names the offending field.</summary>
public static partial class NodePlanValidator
{
    private const int MaxAllocations = 1024;

    public static IReadOnlyList<string> Validate(NodePlan? plan, string expectedNodeName)
    {
        if (plan is null)
        {
            return ["plan: missing body"];
        }

        var errors = new List<string>();
        if (plan.NodeName != expectedNodeName)
        {
            errors.Add($"nodeName: plan is for '{plan.NodeName}', this agent serves '{expectedNodeName}'");
        }

        if (plan.Generation <= 0)
        {
            errors.Add($"generation: must be positive, got {plan.Generation}");
        }

        if (plan.Allocations is null)
        {
            errors.Add("allocations: missing");
            return errors;
        }

        if (plan.Allocations.Count > MaxAllocations)
        {
            errors.Add($"allocations: {plan.Allocations.Count} entries, at most {MaxAllocations}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Allocations.Count; i++)
        {
            ValidateAllocation(plan.Allocations[i], $"allocations[{i}]", seen, errors);
        }

        return errors;
    }

    private static void ValidateAllocation(PlannedAllocation? allocation, string path, HashSet<string> seen, List<string> errors)
    {
        if (allocation is null)
        {
            errors.Add($"{path}: null");
            return;
        }

        CheckName(allocation.Namespace, $"{path}.namespace", errors);
        CheckName(allocation.Worker, $"{path}.worker", errors);
        CheckName(allocation.Workload, $"{path}.workload", errors);
        if (!Enum.IsDefined(allocation.Isolation))
        {
            errors.Add($"{path}.isolation: unknown value {(int)allocation.Isolation}");
        }

        if (allocation.Namespace is not null && allocation.Worker is not null && !seen.Add(allocation.WorkerKey()))
        {
            errors.Add($"{path}: worker {allocation.Namespace}/{allocation.Worker} appears twice");
        }

        if (allocation.Devices is null || allocation.Devices.Count == 0)
        {
            errors.Add($"{path}.devices: at least one GPU is required");
            return;
        }

        var gpus = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < allocation.Devices.Count; d++)
        {
            var share = allocation.Devices[d];
            var at = $"{path}.devices[{d}]";
            if (share is null || string.IsNullOrWhiteSpace(share.GpuUuid))
            {
                errors.Add($"{at}.gpuUuid: required");
                continue;
            }

            if (!gpus.Add(share.GpuUuid))
            {
                errors.Add($"{at}.gpuUuid: {share.GpuUuid} listed twice");
            }

            if (share.TflopsRequest < 0 || share.TflopsLimit < 0 || double.IsNaN(share.TflopsRequest) || double.IsNaN(share.TflopsLimit))
            {
                errors.Add($"{at}: tflopsRequest and tflopsLimit must be non-negative numbers");
            }
            else if (share.TflopsLimit > 0 && share.TflopsLimit < share.TflopsRequest)
            {
                errors.Add($"{at}.tflopsLimit: {share.TflopsLimit} is below tflopsRequest {share.TflopsRequest}");
            }

            if (share.VramRequestBytes < 0 || share.VramLimitBytes < 0)
            {
                errors.Add($"{at}: vramRequestBytes and vramLimitBytes must be non-negative");
            }
            else if (share.VramLimitBytes > 0 && share.VramLimitBytes < share.VramRequestBytes)
            {
                errors.Add($"{at}.vramLimitBytes: {share.VramLimitBytes} is below vramRequestBytes {share.VramRequestBytes}");
            }

            var partitioned = allocation.Isolation == IsolationMode.Partitioned;
            if (partitioned && share.Partition is null)
            {
                errors.Add($"{at}.partition: required for partitioned isolation");
            }
            else if (!partitioned && share.Partition is not null)
            {
                errors.Add($"{at}.partition: only allowed with partitioned isolation");
            }
            else if (share.Partition is { } partition && (partition.ProfileId < 0 || partition.PlacementStart < 0))
            {
                errors.Add($"{at}.partition: profileId and placementStart must be non-negative");
            }
        }
    }

    private static void CheckName(string? value, string path, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || !DnsLabel().IsMatch(value))
        {
            errors.Add($"{path}: '{value}' is not a DNS-1123 name (lowercase letters, digits, '-' and '.', at most 63)");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();
}
