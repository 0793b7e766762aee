using System.Reflection;

namespace TensorFusion.Host.Tests.Architecture;

/// <summary>
/// Enforces the dependency rule of docs/architecture.md: arrows point toward pure code, and pure projects
/// (Estimators, Gpu) pull in no Kubernetes, Rx, Dataflow, ASP.NET or logging assembly.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] OurAssemblies =
    [
        "TensorFusion.Api", "TensorFusion.Estimators", "TensorFusion.Gpu", "TensorFusion.Gpu.Native",
        "TensorFusion.Pipelines", "TensorFusion.LocalCluster", "TensorFusion.Agent", "tensorfusion",
    ];

    private static readonly Dictionary<string, string[]> AllowedOwnReferences = new()
    {
        ["TensorFusion.Api"] = [],
        ["TensorFusion.Estimators"] = [],
        ["TensorFusion.Gpu"] = [],
        ["TensorFusion.Gpu.Native"] = ["TensorFusion.Gpu"],
        ["TensorFusion.Pipelines"] = ["TensorFusion.Api", "TensorFusion.Estimators", "TensorFusion.Gpu"],
        // The kubelet's gRPC contracts (proto/) are compiled into each side that speaks them, as internal stubs: the
        // agent serves them, the embedded control plane's simulated kubelet dials them, neither through the other.
        ["TensorFusion.LocalCluster"] = [],
        ["TensorFusion.Agent"] = ["TensorFusion.Api", "TensorFusion.Gpu", "TensorFusion.Gpu.Native"],
        ["tensorfusion"] =
        [
            "TensorFusion.Api", "TensorFusion.Estimators", "TensorFusion.Gpu", "TensorFusion.Gpu.Native",
            "TensorFusion.Pipelines", "TensorFusion.LocalCluster", "TensorFusion.Agent",
        ],
    };

    private static readonly string[] ForbiddenInPureCode =
    [
        "KubernetesClient", "System.Reactive", "System.Threading.Tasks.Dataflow", "Microsoft.AspNetCore",
        "Microsoft.Extensions.Logging", "Microsoft.Extensions.Hosting", "Prometheus", "Microsoft.Data.Sqlite",
    ];

    public static TheoryData<string> Assemblies() => new(OurAssemblies);

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void References_OurAssemblies_OnlyPointTowardPureCode(string assemblyName)
    {
        var references = ReferencedNames(assemblyName).Where(OurAssemblies.Contains).ToArray();

        var disallowed = references.Except(AllowedOwnReferences[assemblyName]).ToArray();

        Assert.True(disallowed.Length == 0, $"{assemblyName} must not reference {string.Join(", ", disallowed)}");
    }

    [Theory]
    [InlineData("TensorFusion.Estimators")]
    [InlineData("TensorFusion.Gpu")]
    public void References_PureProjects_HaveNoFrameworkOrIoPackages(string assemblyName)
    {
        var offending = ReferencedNames(assemblyName)
            .Where(name => ForbiddenInPureCode.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToArray();

        Assert.True(offending.Length == 0, $"{assemblyName} is pure code but references {string.Join(", ", offending)}");
    }

    [Fact]
    public void References_Pipelines_NeedsNoWebFramework()
    {
        // The engine library logs through Microsoft.Extensions.Logging.Abstractions; Kestrel belongs to Host and Agent.
        var web = ReferencedNames("TensorFusion.Pipelines").Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToArray();

        Assert.True(web.Length == 0, $"TensorFusion.Pipelines references {string.Join(", ", web)}");
    }

    [Fact]
    public void References_NothingReferencesHost()
    {
        var referencingHost = OurAssemblies.Where(name => name != "tensorfusion")
            .Where(name => ReferencedNames(name).Contains("tensorfusion"))
            .ToArray();

        Assert.Empty(referencingHost);
    }

    [Fact]
    public void Namespaces_Host_HoldsOnlyCompositionRootsAndVerbs()
    {
        // The exe wires parts together and speaks to people: verbs and their printing (Cli), process lifetime
        // (Hosting), the roles' composition roots (Local, Operator, Admission's HTTPS server) and explain's cluster
        // reads. A what-if's domain logic lives with its owner (simulate: Gpu.Simulation and Pipelines.Simulation;
        // recommend: Pipelines.Autoscaling.WhatIf), so a new folder here is a decision this test makes visible.
        string[] composition =
        [
            "TensorFusion.Host", "TensorFusion.Host.Cli", "TensorFusion.Host.Hosting", "TensorFusion.Host.Local",
            "TensorFusion.Host.Operator", "TensorFusion.Host.Admission", "TensorFusion.Host.Explain",
        ];

        var stray = Assembly.Load("tensorfusion").GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(ns => ns.StartsWith("TensorFusion", StringComparison.Ordinal) && !composition.Contains(ns))
            .Distinct()
            .ToArray();

        Assert.True(stray.Length == 0, $"src/Host holds composition roots and CLI verbs only, but has {string.Join(", ", stray)}");
    }

    private static string[] ReferencedNames(string assemblyName) =>
        Assembly.Load(assemblyName).GetReferencedAssemblies().Select(reference => reference.Name!).ToArray();
}
