using System.Globalization;
using System.Text.Json;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Options;
using TargetResource = TensorFusion.Api.Autoscaling.TargetResource;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Reads a pod's <c>tensor-fusion.ai/*</c> annotations into the spec of the workload it joins, in upstream's order:
/// workload profile (template) → pool (named, else the default pool) → local GPU (annotation, else the pool's
/// <c>defaultUsingLocalGPU</c>, nil meaning true) → sidecar → isolation → worker template → quota default requests →
/// resources (native <c>nvidia.com/gpu</c> limits as a whole-GPU share) → autoscale → first matching vertical
/// scaling rule → containers → model → dedicated GPU → gang → QoS. Unlike upstream, a value it cannot read is an
/// error naming the annotation rather than silently ignored.
/// </summary>
public static class PodAnnotationParser
{
    /// <summary>The native GPU resource converted to a share.</summary>
    public const string NativeGpuResource = "nvidia.com/gpu";

    public static PodAnnotationParse Parse(V1Pod pod, V1OwnerReference? rootController, AdmissionLookups lookups)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(lookups);
        var reader = new PodAnnotationReader(pod.Metadata?.Annotations);
        var problems = reader.Problems;

        var enabledReplicas = reader.Integer(Annotations.EnabledReplicas, 0, int.MaxValue);
        var workloadName = reader.Text(Annotations.Workload)
            ?? rootController?.Name
            ?? (string.IsNullOrEmpty(pod.Metadata?.Name) ? null : pod.Metadata.Name);
        if (workloadName is null)
        {
            problems.Add(new AdmissionProblem("metadata.name", "a bare pod with generateName and no owner needs the " + Annotations.Workload + " annotation to name its workload"));
        }

        var spec = FromProfile(reader, lookups);
        var pool = DefaultPool.Resolve(lookups.Pools, reader.Text(Annotations.GpuPool), out var poolProblem);
        if (poolProblem is not null)
        {
            problems.Add(new AdmissionProblem(Annotations.GpuPool, poolProblem));
        }

        spec.PoolName = pool?.Metadata?.Name;
        spec.IsLocalGpu = reader.Boolean(Annotations.IsLocalGpu) ?? pool?.Spec?.DefaultUsingLocalGpu ?? true;
        if (reader.Boolean(Annotations.SidecarWorker) == true)
        {
            spec.IsLocalGpu = true;
            spec.SidecarWorker = true;
        }

        spec.Isolation = reader.Enum<IsolationMode>(Annotations.Isolation) ?? spec.Isolation ?? IsolationMode.Soft;
        if (reader.Text(Annotations.PartitionId) is { } partition)
        {
            spec.PartitionTemplateId = partition;
        }

        ReadWorkerTemplate(reader, spec);
        ApplyQuotaDefaults(spec, lookups.NamespaceQuota?.Spec?.SingleWorker);
        var fromNative = ReadResources(reader, pod, spec);
        ReadAutoscale(reader, spec);
        VerticalScalingRuleDefaults.Apply(pod, pool, lookups, spec);
        var containers = ReadContainers(reader, pod, fromNative);
        if (reader.Text(Annotations.GpuModel) is { } model)
        {
            spec.GpuModel = model;
        }

        var dedicated = DedicatedGpu.Apply(reader, lookups, spec);
        ReadGang(reader, spec);
        spec.Qos = reader.Enum<QosLevel>(Annotations.Qos) ?? spec.Qos ?? DefaultQos(spec, pool);
        if (problems.Count == 0)
        {
            // Only when everything else read cleanly: an unreadable resource annotation is its own, clearer problem.
            RequireSomeRequest(spec, problems);
        }

        if (problems.Count > 0 || pool is null || workloadName is null)
        {
            return new PodAnnotationParse(null, problems);
        }

        return new PodAnnotationParse(
            new ParsedGpuPod(workloadName, rootController, pool, spec, containers, fromNative, dedicated, enabledReplicas),
            problems);
    }

    private static WorkloadProfileSpec FromProfile(PodAnnotationReader reader, AdmissionLookups lookups)
    {
        var name = reader.Text(Annotations.WorkloadProfile);
        if (name is null)
        {
            return new WorkloadProfileSpec();
        }

        if (!lookups.Profiles.TryGetValue(name, out var profile))
        {
            reader.Problems.Add(new AdmissionProblem(Annotations.WorkloadProfile, $"WorkloadProfile \"{name}\" does not exist in the pod's namespace"));
            return new WorkloadProfileSpec();
        }

        // A copy: the profile is a template, the workload's spec must not alias the cached profile.
        return TensorFusionJson.Deserialize<WorkloadProfileSpec>(TensorFusionJson.Serialize(profile.Spec)) ?? new WorkloadProfileSpec();
    }

    private static void ReadWorkerTemplate(PodAnnotationReader reader, WorkloadProfileSpec spec)
    {
        var text = reader.Text(Annotations.WorkerPodTemplate);
        if (text is null)
        {
            return;
        }

        if (spec.IsLocalGpu == true)
        {
            reader.Problems.Add(new AdmissionProblem(Annotations.WorkerPodTemplate, "a worker pod template only applies in remote mode (is-local-gpu: \"false\"); in local GPU mode the pod itself is the worker"));
            return;
        }

        try
        {
            spec.WorkerPodTemplate = k8s.KubernetesYaml.Deserialize<V1PodTemplateSpec>(text);
        }
        catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or JsonException or FormatException)
        {
            reader.Problems.Add(new AdmissionProblem(Annotations.WorkerPodTemplate, $"not a PodTemplateSpec in YAML or JSON: {exception.Message}"));
        }
    }

    private static void ApplyQuotaDefaults(WorkloadProfileSpec spec, Api.Quotas.QuotaSingle? single)
    {
        if (single is null)
        {
            return;
        }

        var resources = spec.Resources ??= new GpuResourceRequirements();
        if (single.DefaultRequests is { } requests)
        {
            var target = resources.Requests ??= new GpuResourceAmount();
            target.Tflops = IsZero(target.Tflops) ? requests.Tflops : target.Tflops;
            target.Vram = IsZero(target.Vram) ? requests.Vram : target.Vram;
        }

        if (single.DefaultLimits is { } limits)
        {
            var target = resources.Limits ??= new GpuResourceAmount();
            target.Tflops = IsZero(target.Tflops) ? limits.Tflops : target.Tflops;
            target.Vram = IsZero(target.Vram) ? limits.Vram : target.Vram;
        }
    }

    /// <summary>Resources per GPU; returns true when the GPU count came from native <c>nvidia.com/gpu</c> limits.</summary>
    private static bool ReadResources(PodAnnotationReader reader, V1Pod pod, WorkloadProfileSpec spec)
    {
        var resources = spec.Resources ??= new GpuResourceRequirements();
        var requests = resources.Requests ??= new GpuResourceAmount();
        var limits = resources.Limits ??= new GpuResourceAmount();
        var fromNative = false;

        if (reader.Integer(Annotations.GpuCount, 1, 128) is { } count)
        {
            spec.GpuCount = count;
        }
        else if (!reader.Has(Annotations.GpuCount) && spec.GpuCount is null && NativeGpuLimit(pod) is { } native)
        {
            // A pod that only asks for whole GPUs keeps getting whole GPUs: 100 % compute of each.
            spec.GpuCount = native.Count;
            limits.Compute = new ResourceQuantity("100");
            fromNative = true;
        }

        if (reader.Quantity(Annotations.TflopsLimit) is { } tflopsLimit)
        {
            limits.Tflops = tflopsLimit;
            if (fromNative)
            {
                limits.Compute = null;
            }
        }

        limits.Vram = reader.Quantity(Annotations.VramLimit) ?? limits.Vram;
        requests.Tflops = reader.Quantity(Annotations.TflopsRequest) ?? (IsZero(requests.Tflops) ? limits.Tflops : requests.Tflops);
        requests.Vram = reader.Quantity(Annotations.VramRequest) ?? (IsZero(requests.Vram) ? limits.Vram : requests.Vram);
        limits.Compute = reader.Percent(Annotations.ComputePercentLimit) ?? limits.Compute;
        requests.Compute = reader.Percent(Annotations.ComputePercentRequest)
            ?? (IsZero(requests.Tflops) && IsZero(requests.Compute) ? limits.Compute : requests.Compute);

        var tflopsAnnotated = reader.Has(Annotations.TflopsRequest) || reader.Has(Annotations.TflopsLimit);
        var percentAnnotated = reader.Has(Annotations.ComputePercentRequest) || reader.Has(Annotations.ComputePercentLimit);
        if (tflopsAnnotated && percentAnnotated)
        {
            reader.Problems.Add(new AdmissionProblem(
                Annotations.ComputePercentRequest,
                $"{Annotations.TflopsRequest}/{Annotations.TflopsLimit} and {Annotations.ComputePercentRequest}/{Annotations.ComputePercentLimit} are mutually exclusive; give compute in TFLOPs or in percent, not both"));
        }
        else if (!IsZero(requests.Tflops) && !IsZero(requests.Compute))
        {
            reader.Problems.Add(new AdmissionProblem(
                Annotations.ComputePercentRequest,
                "the request has both TFLOPs and a compute percent (one from the workload profile or quota defaults); give only one"));
        }

        // An unset compute percent stays absent rather than "0", so the workload's spec reads as written.
        requests.Compute = IsZero(requests.Compute) ? null : requests.Compute;
        limits.Compute = IsZero(limits.Compute) ? null : limits.Compute;

        spec.Vendor = reader.Text(Annotations.Vendor) ?? spec.Vendor;
        if (reader.Indices(Annotations.GpuIndices) is { Count: > 0 } indices)
        {
            spec.GpuIndices = indices;
            spec.GpuCount = indices.Count;
        }

        spec.GpuCount ??= 1;
        return fromNative;
    }

    private static (int Count, string Container)? NativeGpuLimit(V1Pod pod)
    {
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            if (container.Resources?.Limits?.TryGetValue(NativeGpuResource, out var quantity) == true
                && int.TryParse(quantity.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && count > 0)
            {
                return (count, container.Name);
            }
        }

        return null;
    }

    private static void ReadAutoscale(PodAnnotationReader reader, WorkloadProfileSpec spec)
    {
        if (reader.Boolean(Annotations.Autoscale) != true)
        {
            if (reader.Has(Annotations.AutoscaleTarget) && !reader.Has(Annotations.Autoscale))
            {
                reader.Problems.Add(new AdmissionProblem(Annotations.AutoscaleTarget, $"only read together with {Annotations.Autoscale}: \"true\""));
            }

            return;
        }

        var config = spec.AutoScalingConfig ??= new AutoScalingConfig();
        var auto = config.AutoSetResources ??= new AutoSetResources();
        auto.Enable = true;
        auto.TargetResource = reader.Enum<TargetResource>(Annotations.AutoscaleTarget) ?? TargetResource.All;
    }

    private static List<string> ReadContainers(PodAnnotationReader reader, V1Pod pod, bool fromNative)
    {
        var containers = pod.Spec?.Containers ?? [];
        var names = reader.Text(Annotations.InjectContainer)?
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        if (names is { Count: > 0 })
        {
            foreach (var name in names.Where(name => containers.All(container => container.Name != name)))
            {
                reader.Problems.Add(new AdmissionProblem(Annotations.InjectContainer, $"container \"{name}\" is not in the pod"));
            }

            return names;
        }

        if (fromNative && NativeGpuLimit(pod) is { } native)
        {
            return [native.Container];
        }

        if (containers.Count > 1)
        {
            reader.Problems.Add(new AdmissionProblem(Annotations.InjectContainer, $"the pod has {containers.Count} containers; name the GPU ones (comma list)"));
            return [];
        }

        return containers.Select(container => container.Name).ToList();
    }

    private static void ReadGang(PodAnnotationReader reader, WorkloadProfileSpec spec)
    {
        if (reader.Boolean(Annotations.GangEnabled) != true)
        {
            return;
        }

        var gang = spec.GangScheduling ??= new GangSchedulingConfig();
        gang.Mode ??= GangSchedulingMode.Strict;
        if (reader.Integer(Annotations.GangMinMembers, 0, 10000) is { } min)
        {
            if (min == 1)
            {
                reader.Problems.Add(new AdmissionProblem(Annotations.GangMinMembers, "must be 0 (all desired replicas) or at least 2"));
            }

            gang.MinMembers = min;
        }

        if (reader.Text(Annotations.GangTimeout) is { } timeout)
        {
            if (GoDuration.TryParse(timeout, out _))
            {
                gang.Timeout = timeout;
            }
            else
            {
                reader.Problems.Add(new AdmissionProblem(Annotations.GangTimeout, $"\"{timeout}\" is not a duration such as \"5m\" or \"1h30m\""));
            }
        }
    }

    /// <summary>
    /// The QoS of a workload that names none: <see cref="Allocation.WorkerQos.Resolve"/>, the same rule the allocator
    /// applies to a worker without one (requests equal to non-zero limits ⇒ high; else the pool's default, else medium),
    /// so admission, the printer columns and placement never disagree.
    /// </summary>
    public static QosLevel DefaultQos(WorkloadProfileSpec spec, Api.Pools.GpuPool? pool)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var requests = Autoscaling.ResourceConversions.ToGpu(Autoscaling.ResourceConversions.ToAmount(spec.Resources?.Requests));
        var limits = Autoscaling.ResourceConversions.ToGpu(Autoscaling.ResourceConversions.ToAmount(spec.Resources?.Limits));
        var qos = Allocation.WorkerQos.Resolve(null, requests, limits, Allocation.WorkerQos.FromApi(pool?.Spec?.QosConfig?.DefaultQos));
        return Allocation.WorkerQos.ToApi(qos);
    }

    private static void RequireSomeRequest(WorkloadProfileSpec spec, List<AdmissionProblem> problems)
    {
        var requests = spec.Resources?.Requests;
        var limits = spec.Resources?.Limits;
        var asksForSomething = !IsZero(requests?.Tflops) || !IsZero(requests?.Vram) || !IsZero(requests?.Compute)
            || !IsZero(limits?.Tflops) || !IsZero(limits?.Vram) || !IsZero(limits?.Compute);
        var exempt = spec.Isolation == IsolationMode.Shared
            || (spec.Isolation == IsolationMode.Partitioned && !string.IsNullOrEmpty(spec.PartitionTemplateId));
        if (spec.IsLocalGpu == true && !asksForSomething && !exempt)
        {
            problems.Add(new AdmissionProblem(
                Annotations.TflopsRequest,
                $"the pod asks for no GPU resources: set {Annotations.TflopsRequest}/{Annotations.VramRequest} (or their limits), a {Annotations.WorkloadProfile}, or a namespace GPUResourceQuota with default requests"));
        }
    }

    private static bool IsZero(ResourceQuantity? quantity) => quantity is null || quantity.ToDecimal() == 0m;
}
