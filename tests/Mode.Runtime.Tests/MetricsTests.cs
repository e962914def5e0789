using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Mode.Diagnostics;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

[Collection("Metrics")]
public sealed class MetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string? Service, string? Timer)> _measurements = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ModeMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? service = null;
        string? timer = null;
        foreach (var tag in tags)
        {
            if (tag.Key == ModeMetrics.ServiceTag)
            {
                service = tag.Value as string;
            }
            else if (tag.Key == ModeMetrics.TimerTag)
            {
                timer = tag.Value as string;
            }
        }

        _measurements.Enqueue((instrument.Name, value, service, timer));
    }

    private double Sum(string instrument, string service) =>
        _measurements.Where(m => m.Instrument == instrument && m.Service == service).Sum(m => m.Value);

    [Fact]
    public async Task SupervisorBackoff_CountsEachWait()
    {
        var label = "backoff-" + Guid.NewGuid().ToString("N");
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService(label, new Recorder());
        var supervisor = new OneForOneSupervisor([service])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(1), jitter: 0),
        };
        await supervisor.StartAsync().Within();

        service.Crash(new InvalidOperationException("x"));
        await logs.WaitForAsync(e => e.Message.StartsWith($"Restarting dead {label} in", StringComparison.Ordinal)).Within();

        Assert.Equal(1, Sum(ModeMetrics.BackoffWaits, label));
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task Lifecycle_CountsStartsStopsCrashesAndRestarts()
    {
        var label = "metrics-" + Guid.NewGuid().ToString("N");
        var service = new RecordingService(label, new Recorder());

        await service.StartAsync().Within();
        service.Crash(new InvalidOperationException("x"));
        service.Crash(new InvalidOperationException("again"));
        await service.RestartAsync().Within();
        await service.StopAsync().Within();

        Assert.Equal(2, Sum(ModeMetrics.Starts, label));
        Assert.Equal(2, Sum(ModeMetrics.Stops, label));
        Assert.Equal(1, Sum(ModeMetrics.Crashes, label));
        Assert.Equal(1, Sum(ModeMetrics.Restarts, label));
    }

    [Fact]
    public async Task Timer_RecordsTicksDriftAndOverlaps()
    {
        var clock = new VirtualClock();
        var service = new MetricsTimer { TimeProvider = clock };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();
        service.Body = (_, _) =>
        {
            clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1500));
            return default;
        };

        clock.Jump(TimeSpan.FromMilliseconds(1250));
        clock.AdvanceStepwise(TimeSpan.Zero);
        await service.StopAsync().Within();

        var label = service.Label;
        Assert.Equal(1, Sum(ModeMetrics.TimerTicks, label));
        Assert.Equal(0.25, Sum(ModeMetrics.TimerDrift, label), precision: 6);
        Assert.Equal(1, Sum(ModeMetrics.TimerOverlaps, label));
        Assert.Contains(_measurements, m => m.Instrument == ModeMetrics.TimerTicks && m.Timer == "MetricsTimer.Tick");
    }

    private sealed class MetricsTimer : TimerService
    {
        protected override double Seconds => 1;

        public override string Label => "metrics-timer";
    }
}
