using System.CommandLine;
using TensorFusion.Host.Hosting;
using TensorFusion.Host.Operator;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Host.Cli;

/// <summary>`tensorfusion operator`: the controllers against a real cluster (kubeconfig or in-cluster).</summary>
public static class OperatorCommand
{
    public static Command Create()
    {
        var defaults = new OperatorOptions();
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: in-cluster config in a pod, else ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use" };
        var bind = new Option<string>("--metrics-bind-address") { Description = "host:port (or :port) for /healthz, /readyz and /metrics", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Compete for a Lease; only the leader writes" };
        var leaseName = new Option<string>("--leader-elect-lease-name", "--leader-election-id") { Description = "Name of the Lease", DefaultValueFactory = _ => defaults.LeaseName };
        var leaseNamespace = new Option<string>("--leader-elect-namespace", "--leader-election-namespace") { Description = "Namespace of the Lease", DefaultValueFactory = _ => defaults.LeaseNamespace };
        var leaseDuration = new Option<double>("--leader-elect-lease-duration") { Description = "Seconds a Lease lasts without renewal", DefaultValueFactory = _ => defaults.LeaseDuration.TotalSeconds };
        var renewDeadline = new Option<double>("--leader-elect-renew-deadline") { Description = "Seconds the leader keeps trying to renew before it stops", DefaultValueFactory = _ => defaults.RenewDeadline.TotalSeconds };
        var retryPeriod = new Option<double>("--leader-elect-retry-period") { Description = "Seconds between Lease attempts", DefaultValueFactory = _ => defaults.RetryPeriod.TotalSeconds };
        var concurrency = new Option<int>("--max-concurrent-reconciles") { Description = "Workloads reconciled at once", DefaultValueFactory = _ => defaults.MaxConcurrentReconciles };

        var command = new Command("operator", "Run the TensorFusion controllers against a Kubernetes cluster.")
        {
            kubeconfig, context, bind, leaderElect, leaseName, leaseNamespace, leaseDuration, renewDeadline, retryPeriod, concurrency,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var options = new OperatorHostOptions
            {
                Kubeconfig = parseResult.GetValue(kubeconfig),
                Context = parseResult.GetValue(context),
                MetricsBindAddress = parseResult.GetValue(bind)!,
                Operator = defaults with
                {
                    LeaderElection = parseResult.GetValue(leaderElect),
                    LeaseName = parseResult.GetValue(leaseName)!,
                    LeaseNamespace = parseResult.GetValue(leaseNamespace)!,
                    LeaseDuration = TimeSpan.FromSeconds(parseResult.GetValue(leaseDuration)),
                    RenewDeadline = TimeSpan.FromSeconds(parseResult.GetValue(renewDeadline)),
                    RetryPeriod = TimeSpan.FromSeconds(parseResult.GetValue(retryPeriod)),
                    MaxConcurrentReconciles = parseResult.GetValue(concurrency),
                },
            };
            if (await CliProblems.ReportAsync(error, options.Validate()))
            {
                return 2;
            }

            using var signals = new ShutdownSignals(cancellationToken);
            return await OperatorHost.RunAsync(options, output, signals.Token);
        });
        return command;
    }
}
