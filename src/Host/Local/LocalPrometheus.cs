using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TensorFusion.Host.Local;

/// <summary>
/// Runs the installed <c>prometheus</c> for local mode: it scrapes the operator and every agent (with the agents'
/// bearer token, read from DIR/agent-token) every 5 s under the job names the dashboards and alert rules expect,
/// loads the same alert rules a cluster would, keeps its data in DIR/prometheus and listens on loopback only.
/// </summary>
public sealed class LocalPrometheus : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LocalPrometheus(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The prometheus executable on PATH, or null.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "prometheus"))
            .FirstOrDefault(File.Exists);

    /// <summary>Writes the configuration, starts the process and waits until it answers /-/ready.</summary>
    public static async Task<LocalPrometheus> StartAsync(
        string executable, string stateDirectory, string operatorMetrics, IEnumerable<LocalAgentEndpoint> agents, string agentTokenFile, string agentCaFile, int port,
        CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(stateDirectory, "prometheus")).FullName;
        var rules = Path.Combine(directory, "tensorfusion-alerts.yaml");
        await using (var resource = typeof(LocalPrometheus).Assembly.GetManifestResourceStream("tensorfusion-alerts.yaml")!)
        await using (var file = File.Create(rules))
        {
            await resource.CopyToAsync(file, cancellationToken);
        }

        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, Configuration(rules, new Uri(operatorMetrics), agents, agentTokenFile, agentCaFile), cancellationToken);
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", "--storage.tsdb.retention.time=7d",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var prometheus = new LocalPrometheus(process, address);
        process.ErrorDataReceived += (_, line) => prometheus.Keep(line.Data);
        process.OutputDataReceived += (_, line) => prometheus.Keep(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await prometheus.WaitReadyAsync(cancellationToken);
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <remarks>
    /// Agents serve TLS with a certificate naming their node, so each gets a job of its own (the server name is per job)
    /// relabelled to the one job name the dashboards and alert rules expect; the CA is the operator's agent CA.
    /// </remarks>
    internal static string Configuration(string rulesFile, Uri operatorMetrics, IEnumerable<LocalAgentEndpoint> agents, string agentTokenFile, string agentCaFile)
    {
        var agentJobs = string.Concat(agents.Select(agent => $"""

              - job_name: tensorfusion-agent-{agent.Node}
                metrics_path: /metrics
                scheme: https
                tls_config:
                  ca_file: {agentCaFile}
                  server_name: {agent.Node}
                authorization:
                  credentials_file: {agentTokenFile}
                static_configs:
                  - targets: ['{new Uri(agent.Metrics).Authority}']
                relabel_configs:
                  - target_label: job
                    replacement: tensorfusion-agent
            """));
        return $"""
            # Written by `tensorfusion local`; rewritten at every start.
            global:
              scrape_interval: 5s
              scrape_timeout: 4s
              evaluation_interval: 5s
            rule_files:
              - {rulesFile}
            scrape_configs:
              - job_name: tensorfusion-operator
                metrics_path: {operatorMetrics.AbsolutePath}
                static_configs:
                  - targets: ['{operatorMetrics.Authority}']{agentJobs}
            """;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}: {LastLines()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "-/ready"), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!timeout.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }
        }
        while (await tick.WaitForNextTickAsync(timeout.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default));

        throw new TimeoutException($"prometheus was not ready within {ReadyTimeout.TotalSeconds:0} s: {LastLines()}");
    }

    private string LastLines()
    {
        lock (_log)
        {
            return string.Join(" | ", _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
        }
    }
}
