using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mode.Hosting.Tests.Support;

/// <summary>Collects events from services and hosted services in the order they happen.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Add(string item) => _events.Enqueue(item);

    public IReadOnlyList<string> Events => _events.ToArray();
}

/// <summary>A service that records its hooks as "name.hook" and can be told to fail or block in any of them.</summary>
public class Probe : Service
{
    private readonly string _name;

    public Probe(string name, Recorder recorder, params IService[] children)
    {
        _name = name;
        Recorder = recorder;
        foreach (var child in children)
        {
            AddDependency(child);
        }
    }

    public Recorder Recorder { get; }

    public override string Label => _name;

    public Func<CancellationToken, ValueTask>? OnStart { get; set; }

    public Func<CancellationToken, ValueTask>? OnStop { get; set; }

    public TaskCompletionSource Restarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name}.start");
        if (OnStart is { } hook)
        {
            await hook(cancellationToken);
        }
    }

    protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name}.started");
        return default;
    }

    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name}.stop");
        if (OnStop is { } hook)
        {
            await hook(cancellationToken);
        }
    }

    protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name}.shutdown");
        return default;
    }

    protected override ValueTask OnRestartAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name}.restart");
        Restarted.TrySetResult();
        return default;
    }
}

/// <summary>A service with one background task (wired by hand, as the generator would) that sleeps once.</summary>
public sealed class Sleeper : Service
{
    public TaskCompletionSource<bool> Slept { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("Sleeper.Sleep", static async (s, ct) =>
        {
            var self = (Sleeper)s;
            self.Slept.TrySetResult(await self.SleepAsync(TimeSpan.FromSeconds(10), ct));
        });
    }
}

/// <summary>A plain hosted service that records its start and stop.</summary>
public sealed class RecordingHostedService(string name, Recorder recorder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recorder.Add($"{name}.start");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        recorder.Add($"{name}.stop");
        return Task.CompletedTask;
    }
}

/// <summary>Builds hosts for tests: no configuration sources, no console lifetime, no signal handlers.</summary>
public static class TestHost
{
    public static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        return builder;
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Tests that read or set <see cref="Environment.ExitCode"/> never run at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExitCodeCollection
{
    public const string Name = "ExitCode";
}
