namespace TensorFusion.Host.Tests.Cli;

public sealed class AgentCommandTests
{
    [Fact]
    public async Task Invoke_AgentHelp_ListsTheFlags()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("agent", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--simulate", output, StringComparison.Ordinal);
        Assert.Contains("--token-review-audience", output, StringComparison.Ordinal);
        Assert.Contains("--dra", output, StringComparison.Ordinal);
        Assert.Contains("--device-plugin", output, StringComparison.Ordinal);
        Assert.Contains("--cdi-dir", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_DevicePluginWithoutCluster_FailsNamingTheFlag()
    {
        var stateDir = Directory.CreateTempSubdirectory("tf-agent-cli-").FullName;
        try
        {
            var (exitCode, output) = await TensorFusionCliTests.InvokeAsync(
                ["agent", "--simulate", "L4:1", "--token", "0123456789abcdef0", "--port", "0", "--state-dir", stateDir,
                "--device-plugin", "--device-plugin-dir", Path.Combine(stateDir, "dp"), "--cdi-dir", Path.Combine(stateDir, "cdi"), .. ServingCertificateFlags(stateDir)]);

            Assert.Equal(1, exitCode);
            Assert.Contains("--device-plugin: needs a cluster", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_NoClusterAndNoCertificate_FailsNamingTheTlsFlags()
    {
        var stateDir = Directory.CreateTempSubdirectory("tf-agent-cli-").FullName;
        try
        {
            var (exitCode, output) = await TensorFusionCliTests.InvokeAsync(
                "agent", "--simulate", "L4:1", "--token", "0123456789abcdef0", "--port", "0", "--state-dir", stateDir);

            Assert.Equal(2, exitCode);
            Assert.Contains("--tls-cert-file and --tls-key-file: required without a cluster", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_MetricsAuthWithoutCluster_FailsNamingTheFlag()
    {
        // --metrics-auth asks the API server about every scraper; without a kubeconfig or a pod there is none to ask.
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("agent", "--simulate", "L4:1", "--token", "0123456789abcdef0", "--metrics-auth");

        Assert.Equal(2, exitCode);
        Assert.Contains("--metrics-auth needs the API server", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NoToken_FailsNamingTheFlag()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("agent", "--simulate", "L4:1", "--token", "");

        Assert.Equal(2, exitCode);
        Assert.Contains("--token", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_BadSimulateValue_FailsWithExample()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("agent", "--simulate", "A100", "--token", "0123456789abcdef0");

        Assert.Equal(2, exitCode);
        Assert.Contains("MODEL:COUNT", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_BadListenAddress_FailsNamingTheFlag()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync(
            "agent", "--simulate", "L4:1", "--token", "0123456789abcdef0", "--listen-address", "nine-thousand");

        Assert.Equal(2, exitCode);
        Assert.Contains("--listen-address", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_UnknownModel_FailsWithCatalog()
    {
        var stateDir = Directory.CreateTempSubdirectory("tf-agent-cli-").FullName;
        try
        {
            var (exitCode, output) = await TensorFusionCliTests.InvokeAsync(
                ["agent", "--simulate", "Z9:1", "--token", "0123456789abcdef0", "--port", "0", "--state-dir", stateDir, .. ServingCertificateFlags(stateDir)]);

            Assert.Equal(1, exitCode);
            Assert.Contains("A100-80GB", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    /// <summary>A self-signed serving certificate in PEM files under <paramref name="directory"/> (a standalone agent serves TLS only).</summary>
    private static string[] ServingCertificateFlags(string directory)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=standalone", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(directory, "tls.crt");
        var keyFile = Path.Combine(directory, "tls.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return ["--tls-cert-file", certificateFile, "--tls-key-file", keyFile];
    }
}
