using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TensorFusion.IntegrationTests.Deploy;

namespace TensorFusion.IntegrationTests.Local;

/// <summary>
/// `tensorfusion local` as a user runs it: a child process (the same tensorfusion.dll the tests were built with) on a
/// state directory, stopped with SIGTERM. Readiness is its own "Press Ctrl-C" line, not a timer.
/// </summary>
internal sealed class LocalProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalProcess(Process process, string stateDirectory)
    {
        _process = process;
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    public string Kubeconfig => Path.Combine(StateDirectory, "kubeconfig");

    public string Output => string.Join('\n', _output);

    public JsonObject Endpoints => JsonNode.Parse(File.ReadAllText(Path.Combine(StateDirectory, "endpoints.json")))!.AsObject();

    public static async Task<LocalProcess> StartAsync(string stateDirectory, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryLayout.Root,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "tensorfusion.dll"), "local", "--state-dir", stateDirectory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var local = new LocalProcess(process, stateDirectory);
        process.OutputDataReceived += (_, line) => local.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => local.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(local._ready.Task, process.WaitForExitAsync()).WaitAsync(StartTimeout);
            Assert.True(local._ready.Task.IsCompleted, $"local exited before it was ready:\n{local.Output}");
            return local;
        }
        catch (TimeoutException)
        {
            await local.DisposeAsync();
            throw new TimeoutException($"local was not ready within {StartTimeout}:\n{local.Output}");
        }
    }

    /// <summary>SIGTERM, as systemd or Ctrl-C would; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public Task<ToolResult> KubectlAsync(params string[] arguments) =>
        ExternalTool.RunAsync("kubectl", ExternalTool.KubectlHint, ["--kubeconfig", Kubeconfig, .. arguments], TimeSpan.FromSeconds(150));

    public async Task<JsonObject> KubectlJsonAsync(params string[] arguments)
    {
        var result = await KubectlAsync([.. arguments, "-o", "json"]);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {result.StandardError}");
        return JsonNode.Parse(result.StandardOutput)!.AsObject();
    }

    /// <summary>An agent's /metrics, with the local agents' bearer token.</summary>
    /// <summary>An agent's /metrics over TLS, verified as the operator does: DIR/agent-ca.crt, the node's name as the server name.</summary>
    public async Task<string> AgentMetricsAsync(string node, string url)
    {
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(StateDirectory, "agent-ca.crt")));
        var trust = new TensorFusion.Pipelines.Agents.AgentChannelTrust(ca);
        using var http = new HttpClient(trust.CreateHandler()) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        TensorFusion.Pipelines.Agents.AgentChannelTrust.TargetNode(request, node);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(StateDirectory, "agent-token"))).Trim());
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
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

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("Press Ctrl-C", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
