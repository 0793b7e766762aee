using System.Collections.Concurrent;
using Grpc.Core;
using TensorFusion.KubeletApi.PluginRegistration.V1;

namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>
/// The kubelet's plugin watcher, on demand: finds the DRA plugin of a driver by dialing each socket of a node's
/// plugin registration directory (<c>Registration.GetInfo</c>), accepts a <c>DRAPlugin</c> that serves
/// <c>v1.DRAPlugin</c> (and tells it so with <c>NotifyRegistrationStatus</c>), and remembers its endpoint until a call
/// to it fails.
/// </summary>
public sealed class KubeletPluginRegistry(TimeProvider time)
{
    public const string PluginType = "DRAPlugin";
    public const string ServiceVersion = "v1.DRAPlugin";

    private readonly ConcurrentDictionary<(string Registry, string Driver), string> _endpoints = new();

    /// <summary>The DRA socket of <paramref name="driver"/> registered in <paramref name="registryDirectory"/>.</summary>
    public async Task<string> EndpointAsync(string registryDirectory, string driver, CancellationToken cancellationToken)
    {
        if (_endpoints.TryGetValue((registryDirectory, driver), out var known))
        {
            return known;
        }

        var seen = new List<string>();
        var sockets = Directory.Exists(registryDirectory) ? Directory.EnumerateFiles(registryDirectory, "*.sock").Order(StringComparer.Ordinal).ToList() : [];
        foreach (var socket in sockets)
        {
            var info = await TryGetInfoAsync(socket, cancellationToken);
            if (info is null)
            {
                seen.Add($"{Path.GetFileName(socket)} (not answering)");
                continue;
            }

            seen.Add($"{Path.GetFileName(socket)} ({info.Type} {info.Name})");
            if (info.Type != PluginType || info.Name != driver)
            {
                continue;
            }

            if (!info.SupportedVersions.Contains(ServiceVersion))
            {
                await NotifyAsync(socket, new RegistrationStatus { PluginRegistered = false, Error = $"no supported version: the kubelet speaks {ServiceVersion}" }, cancellationToken);
                throw new DraPrepareException($"DRA driver {driver} in {registryDirectory} supports [{string.Join(", ", info.SupportedVersions)}], not {ServiceVersion}");
            }

            await NotifyAsync(socket, new RegistrationStatus { PluginRegistered = true }, cancellationToken);
            _endpoints[(registryDirectory, driver)] = info.Endpoint;
            return info.Endpoint;
        }

        throw new DraPrepareException($"DRA driver {driver} is not registered with the kubelet: no plugin socket in {registryDirectory} names it" +
            (seen.Count == 0 ? string.Empty : $" (found {string.Join(", ", seen)})"));
    }

    /// <summary>Forgets a driver's endpoint after a failed call, so the next try registers it again.</summary>
    public void Forget(string registryDirectory, string driver) => _endpoints.TryRemove((registryDirectory, driver), out _);

    private async Task<PluginInfo?> TryGetInfoAsync(string socket, CancellationToken cancellationToken)
    {
        try
        {
            using var channel = KubeletApi.UnixSocketChannel.Create(socket);
            using var deadline = new PluginCallDeadline(time, cancellationToken);
            return await new Registration.RegistrationClient(channel).GetInfoAsync(new InfoRequest(), cancellationToken: deadline.Token);
        }
        catch (RpcException)
        {
            // A stale socket of a stopped plugin: the kubelet skips it as well.
            return null;
        }
    }

    private async Task NotifyAsync(string socket, RegistrationStatus status, CancellationToken cancellationToken)
    {
        using var channel = KubeletApi.UnixSocketChannel.Create(socket);
        using var deadline = new PluginCallDeadline(time, cancellationToken);
        await new Registration.RegistrationClient(channel).NotifyRegistrationStatusAsync(status, cancellationToken: deadline.Token);
    }
}
