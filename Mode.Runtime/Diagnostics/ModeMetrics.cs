using System.Diagnostics.Metrics;

namespace Mode.Diagnostics;

/// <summary>
/// The names of Mode's <see cref="System.Diagnostics.Metrics"/> instruments, all on the meter
/// <see cref="MeterName"/>. Every instrument is tagged <c>mode.service</c> with the service's label;
/// timer instruments also carry <c>mode.timer</c>. OpenTelemetry picks them up with
/// <c>AddMeter("Mode")</c>; the runtime itself depends on nothing but the framework.
/// </summary>
public static class ModeMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Mode";

    /// <summary>Counter: services that finished starting.</summary>
    public const string Starts = "mode.service.starts";

    /// <summary>Counter: services that finished stopping.</summary>
    public const string Stops = "mode.service.stops";

    /// <summary>Counter: crashes (the service that crashed, not the services marked with it).</summary>
    public const string Crashes = "mode.service.crashes";

    /// <summary>Counter: restarts (<c>RestartAsync</c> calls, by a supervisor or by hand).</summary>
    public const string Restarts = "mode.service.restarts";

    /// <summary>Counter: waits before a supervised restart (<see cref="SupervisorStrategy.Backoff"/>), tagged with the waiting service.</summary>
    public const string BackoffWaits = "mode.supervisor.backoff_waits";

    /// <summary>Counter: timer ticks.</summary>
    public const string TimerTicks = "mode.timer.ticks";

    /// <summary>Histogram (seconds): how late each timer tick woke up against its deadline.</summary>
    public const string TimerDrift = "mode.timer.drift";

    /// <summary>Counter: timer ticks whose body ran longer than the interval.</summary>
    public const string TimerOverlaps = "mode.timer.overlaps";

    /// <summary>Counter: blocked episodes found by <see cref="BlockingDetector"/>.</summary>
    public const string BlockingDetections = "mode.blocking.detections";

    /// <summary>The tag holding the service's label.</summary>
    public const string ServiceTag = "mode.service";

    /// <summary>The tag holding the timer's name.</summary>
    public const string TimerTag = "mode.timer";
}

/// <summary>The instruments themselves; each recording is skipped unless a listener enabled it.</summary>
internal static class ModeInstruments
{
    // No version: reading it from the assembly name would root reflection in NativeAOT (+41 KB).
    private static readonly Meter s_meter = new(ModeMetrics.MeterName);

    private static readonly Counter<long> s_starts = s_meter.CreateCounter<long>(ModeMetrics.Starts, "{service}", "Services that finished starting");
    private static readonly Counter<long> s_stops = s_meter.CreateCounter<long>(ModeMetrics.Stops, "{service}", "Services that finished stopping");
    private static readonly Counter<long> s_crashes = s_meter.CreateCounter<long>(ModeMetrics.Crashes, "{crash}", "Service crashes");
    private static readonly Counter<long> s_restarts = s_meter.CreateCounter<long>(ModeMetrics.Restarts, "{restart}", "Service restarts");
    private static readonly Counter<long> s_backoffWaits = s_meter.CreateCounter<long>(ModeMetrics.BackoffWaits, "{wait}", "Waits before a supervised restart");
    private static readonly Counter<long> s_ticks = s_meter.CreateCounter<long>(ModeMetrics.TimerTicks, "{tick}", "Timer ticks");
    private static readonly Histogram<double> s_drift = s_meter.CreateHistogram<double>(ModeMetrics.TimerDrift, "s", "Lateness of timer ticks against their deadline");
    private static readonly Counter<long> s_overlaps = s_meter.CreateCounter<long>(ModeMetrics.TimerOverlaps, "{tick}", "Timer ticks that overran their interval");
    private static readonly Counter<long> s_blocking = s_meter.CreateCounter<long>(ModeMetrics.BlockingDetections, "{episode}", "Blocked episodes detected");

    public static void Started(IService service) => Count(s_starts, service);

    public static void Stopped(IService service) => Count(s_stops, service);

    public static void Crashed(IService service) => Count(s_crashes, service);

    public static void Restarted(IService service) => Count(s_restarts, service);

    public static void BackoffWait(IService service) => Count(s_backoffWaits, service);

    public static void Blocked(IService service) => Count(s_blocking, service);

    public static void Tick(IService service, string timer, TimeSpan lateness)
    {
        if (s_ticks.Enabled)
        {
            s_ticks.Add(1, new(ModeMetrics.ServiceTag, service.Label), new(ModeMetrics.TimerTag, timer));
        }

        if (s_drift.Enabled)
        {
            s_drift.Record(lateness.TotalSeconds, new(ModeMetrics.ServiceTag, service.Label), new(ModeMetrics.TimerTag, timer));
        }
    }

    public static void Overlap(IService service, string timer)
    {
        if (s_overlaps.Enabled)
        {
            s_overlaps.Add(1, new(ModeMetrics.ServiceTag, service.Label), new(ModeMetrics.TimerTag, timer));
        }
    }

    private static void Count(Counter<long> counter, IService service)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>(ModeMetrics.ServiceTag, service.Label));
        }
    }
}
