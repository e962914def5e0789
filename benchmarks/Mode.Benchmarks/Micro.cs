using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mode.Benchmarks;

/// <summary>
/// <c>--micro</c>: BenchmarkDotNet for the one case that fits a micro benchmark, the start and stop
/// of one trivial service against the bare <c>await s.StartAsync()</c> call, with allocated bytes per
/// operation. In-process (no project build per benchmark), short run: about a minute.
/// </summary>
internal static class Micro
{
    public static void Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkRunner.Run<LifecycleMicro>(config, args.Where(static a => a != "--micro").ToArray());
    }
}

// Benchmarks are instance methods (BenchmarkDotNet), and the bare contender is called through its
// interface on purpose, so that the call is not inlined away.
#pragma warning disable CA1822, CA1859
[MemoryDiagnoser]
public class LifecycleMicro
{
    private readonly IPlainPublic _plain = new PlainPublic();

    /// <summary>A Mode service with no hooks: StartAsync then StopAsync, then Reset for the next round.</summary>
    [Benchmark]
    public async Task ModeStartStop()
    {
        var service = new MicroService();
        await service.StartAsync().ConfigureAwait(false);
        await service.StopAsync().ConfigureAwait(false);
    }

    /// <summary>The bare limit: an interface call returning a completed task, twice.</summary>
    [Benchmark(Baseline = true)]
    public async Task BareStartStop()
    {
        await _plain.StartAsync().ConfigureAwait(false);
        await _plain.StopAsync().ConfigureAwait(false);
    }

    public interface IPlainPublic
    {
        Task StartAsync();

        Task StopAsync();
    }

    private sealed class PlainPublic : IPlainPublic
    {
        public Task StartAsync() => Task.CompletedTask;

        public Task StopAsync() => Task.CompletedTask;
    }

    private sealed class MicroService : Service
    {
    }
}
#pragma warning restore CA1822, CA1859
