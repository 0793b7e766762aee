using System.CommandLine;
using k8s;
using TensorFusion.Host.Explain;

namespace TensorFusion.Host.Cli;

/// <summary>`tensorfusion explain workload NAME [-n NS]`: why is it not Running, in words, from the live cluster.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The TensorFusionWorkload to explain" };
        var @namespace = new Option<string?>("--namespace", "-n") { Description = "Namespace of the workload (default: the kubeconfig context's, else 'default')" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig (default: $KUBECONFIG, ~/.kube/config, then in-cluster)" };
        var workload = new Command("workload", "Explain a TensorFusionWorkload: conditions, unplaced workers with the allocator's reasons, pool, quota and recent warnings")
        {
            name, @namespace, kubeconfig,
        };
        workload.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            KubernetesClientConfiguration configuration;
            try
            {
                configuration = ClusterConnection.Load(parseResult.GetValue(kubeconfig));
            }
            catch (Exception failure) when (failure is k8s.Exceptions.KubeConfigException or FileNotFoundException or InvalidOperationException)
            {
                await error.WriteLineAsync($"error: no cluster to ask: {failure.Message} (pass --kubeconfig or set KUBECONFIG)");
                return 2;
            }

            var targetNamespace = parseResult.GetValue(@namespace) ?? configuration.Namespace ?? "default";
            var workloadName = parseResult.GetValue(name)!;
            using var client = new Kubernetes(configuration);
            WorkloadFacts? facts;
            try
            {
                facts = await new WorkloadFactsReader(client).ReadAsync(targetNamespace, workloadName, cancellationToken);
            }
            catch (HttpRequestException failure)
            {
                await error.WriteLineAsync($"error: cannot reach the API server at {configuration.Host}: {failure.Message}");
                return 1;
            }
            catch (InvalidOperationException unreadable)
            {
                await error.WriteLineAsync($"error: {unreadable.Message}");
                return 1;
            }

            if (facts is null)
            {
                await error.WriteLineAsync($"error: TensorFusionWorkload {targetNamespace}/{workloadName} not found (kubectl get tfw -n {targetNamespace})");
                return 1;
            }

            foreach (var line in WorkloadExplainer.Explain(facts))
            {
                await output.WriteLineAsync(line);
            }

            return 0;
        });
        return new Command("explain", "Answer \"why is it not Running?\" from the live cluster") { workload };
    }
}
