using Microsoft.Extensions.Hosting;

namespace Mode.Benchmarks;

// The services under test, wired by hand exactly as the Mode source generator emits the wiring
// (see ServiceGenerator.Emitter: "static (s, ct) => new ValueTask(((T)s).M(ct))"). A wiring describes
// a type, so each distinct shape is its own class.

/// <summary>A service with no hooks and no background work.</summary>
internal sealed class TrivialService : Service
{
}

/// <summary>A service with one <c>[Task]</c> that loops on <see cref="Service.SleepAsync(TimeSpan, CancellationToken)"/>.</summary>
internal sealed class SleepyService : Service
{
    public static readonly TimeSpan Nap = TimeSpan.FromHours(1);

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("SleepyService.RunAsync", static (s, ct) => new ValueTask(((SleepyService)s).RunAsync(ct)));
    }

    // [Task]
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        Running.Signal();
        while (await SleepAsync(Nap, CancellationToken.None).ConfigureAwait(false))
        {
        }
    }
}

/// <summary>An idle service: one <c>[Task]</c> sleeping in a loop and one <c>[Timer(1)]</c> with an empty body.</summary>
internal sealed class IdleService : Service
{
    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("IdleService.RunAsync", static (s, ct) => new ValueTask(((IdleService)s).RunAsync(ct)));
        wiring.AddTimer("IdleService.Tick", 1.0, static (s, ct) =>
        {
            ((IdleService)s).Tick();
            return default;
        });
    }

    // [Task]
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        Running.Signal();
        while (await SleepAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false))
        {
        }
    }

    // [Timer(1)]
#pragma warning disable CA1822 // the generator calls it on the instance, as a user's method would be
    private void Tick()
#pragma warning restore CA1822
    {
    }
}

/// <summary>The bare-loop limit: a plain object whose start and stop do nothing.</summary>
internal interface IPlain
{
    Task StartAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}

internal sealed class PlainObject : IPlain
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The bare limit for a service with one background loop: a CTS and a <c>Task.Delay</c> loop that
/// does not throw when cancelled (<see cref="ConfigureAwaitOptions.SuppressThrowing"/>).
/// </summary>
internal sealed class BareSleeper : IPlain
{
    private CancellationTokenSource? _cts;
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _cts = new CancellationTokenSource();
        _loop = LoopAsync(_cts.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _cts!.Cancel();
        await _loop!.ConfigureAwait(false);
        _cts.Dispose();
    }

    private static async Task LoopAsync(CancellationToken cancellationToken)
    {
        Running.Signal();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(SleepyService.Nap, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>
/// <see cref="BareSleeper"/> whose loop begins after one hop to the thread pool
/// (<c>await Task.Yield()</c>), as Mode's background work must: Mode starts tasks when the starting
/// code yields, never inside <c>StartAsync</c> (docs/architecture.md, "The lifecycle"). It calibrates what the hop costs.
/// </summary>
internal sealed class BareHopSleeper : IPlain
{
    private CancellationTokenSource? _cts;
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _cts = new CancellationTokenSource();
        _loop = LoopAsync(_cts.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _cts!.Cancel();
        await _loop!.ConfigureAwait(false);
        _cts.Dispose();
    }

    private static async Task LoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Running.Signal();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(SleepyService.Nap, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>
/// The bare limit for the idle service: a CTS, a no-throw <c>Task.Delay</c> loop and a
/// <see cref="PeriodicTimer"/>(1 s) loop.
/// </summary>
internal sealed class BareIdle : IPlain
{
    private CancellationTokenSource? _cts;
    private PeriodicTimer? _timer;
    private Task? _loop;
    private Task? _timerLoop;

    public long Ticks { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _cts = new CancellationTokenSource();
        _loop = LoopAsync(_cts.Token);
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        _timerLoop = TimerLoopAsync(_timer);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _cts!.Cancel();
        _timer!.Dispose();
        await _loop!.ConfigureAwait(false);
        await _timerLoop!.ConfigureAwait(false);
        _cts.Dispose();
    }

    private static async Task LoopAsync(CancellationToken cancellationToken)
    {
        Running.Signal();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task TimerLoopAsync(PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            Ticks++;
        }
    }
}

/// <summary>The Generic Host's trivial hosted service.</summary>
internal sealed class TrivialHosted : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The Generic Host's <see cref="BackgroundService"/> written as its documentation does: a
/// <c>Task.Delay(…, stoppingToken)</c> loop, which throws when the host stops.
/// </summary>
internal sealed class SleepyBackgroundService : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Running.Signal();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(SleepyService.Nap, stoppingToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Builds Generic Hosts with nothing but the given hosted services (no logging providers, no configuration files).</summary>
internal static class Hosts
{
    public static IHost Build(int count, Func<IHostedService> factory)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        for (var i = 0; i < count; i++)
        {
            var service = factory();
            builder.Services.Add(new Microsoft.Extensions.DependencyInjection.ServiceDescriptor(typeof(IHostedService), service));
        }

        return builder.Build();
    }
}

/// <summary>Builds Mode trees: node <c>i</c> is a child of node <c>(i − 1) / fanOut</c>.</summary>
internal static class Trees
{
    public static T[] Build<T>(int count, int fanOut, Func<T> factory) where T : Service
    {
        var services = new T[count];
        for (var i = 0; i < count; i++)
        {
            services[i] = factory();
        }

        for (var i = 1; i < count; i++)
        {
            services[(i - 1) / fanOut].AddDependency(services[i]);
        }

        return services;
    }
}
