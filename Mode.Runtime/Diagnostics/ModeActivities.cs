using System.Diagnostics;

namespace Mode.Diagnostics;

/// <summary>
/// The names of Mode's start-up and shut-down traces: <see cref="Activity"/> spans from the
/// <see cref="ActivitySource"/> named <see cref="SourceName"/>. Every start of a service is a span
/// <c>start {Label}</c>, every stop <c>stop {Label}</c> and every restart <c>restart {Label}</c>, tagged
/// <see cref="ServiceTag"/> (the label) and <see cref="ServiceTypeTag"/> (the full type name). They nest
/// as the tree does: a child's start span is a child of its parent's start span. The phases of a start
/// or stop (<c>OnStartAsync</c>, <c>children</c>, <c>OnStartedAsync</c>, …) are events of the span, and
/// a failure is an <c>exception</c> event with the status <see cref="ActivityStatusCode.Error"/>.
/// OpenTelemetry picks them up with <c>AddSource("Mode")</c>; the runtime itself depends on nothing
/// but the framework, and creates nothing while no listener samples the source.
/// </summary>
public static class ModeActivities
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "Mode";

    /// <summary>The tag holding the service's label (the same tag as the metrics').</summary>
    public const string ServiceTag = ModeMetrics.ServiceTag;

    /// <summary>The tag holding the service's full type name.</summary>
    public const string ServiceTypeTag = "mode.service.type";
}

/// <summary>
/// The activity source and the few calls the lifecycle makes on it. Every call takes the span as it
/// was created, <see langword="null"/> when nothing listens, so that the lifecycle pays one
/// <see cref="ActivitySource.HasListeners"/> check per start or stop and nothing else.
/// </summary>
internal static class ModeTracing
{
    /// <summary>The span name prefixes (<c>start {Label}</c>, …).</summary>
    public const string Start = "start ";
    public const string Stop = "stop ";
    public const string Restart = "restart ";

    /// <summary>The phases that are not a hook's name.</summary>
    public const string ChildrenPhase = "children";
    public const string BackgroundWorkPhase = "background work";
    public const string WaitForShutdownPhase = "wait for shutdown";
    public const string ContextsPhase = "contexts";
    public const string CutShortPhase = "stopping: start cut short";

    // No version: reading it from the assembly would root reflection in NativeAOT (as the meter).
    private static readonly ActivitySource s_source = new(ModeActivities.SourceName);

    /// <summary>Whether anything listens to the source (a span may still not be sampled).</summary>
    public static bool IsListening => s_source.HasListeners();

    /// <summary>
    /// Starts the span <c>{operation}{Label}</c> as a child of <see cref="Activity.Current"/> and makes
    /// it current, or returns <see langword="null"/> without allocating when nothing listens. Call it
    /// inside an <see langword="async"/> method: its caller then gets <see cref="Activity.Current"/>
    /// back as it was when the method returns or first yields.
    /// </summary>
    public static Activity? StartSpan(string operation, IService service)
    {
        if (!IsListening)
        {
            return null;
        }

        var label = service.Label;
        return s_source.StartActivity(
            ActivityKind.Internal,
            parentContext: default,
            tags:
            [
                new(ModeActivities.ServiceTag, label),
                new(ModeActivities.ServiceTypeTag, service.GetType().FullName),
            ],
            name: operation + label);
    }

    /// <summary>Marks the beginning of a phase (a hook, the children, …) with an event.</summary>
    public static void Phase(Activity? span, string name) => span?.AddEvent(new ActivityEvent(name));

    /// <summary>
    /// Ends <paramref name="span"/>; a <paramref name="failure"/> is recorded as OpenTelemetry records
    /// exceptions (an <c>exception</c> event with its type, message and stack trace) and sets the status
    /// to <see cref="ActivityStatusCode.Error"/>.
    /// </summary>
    public static void End(Activity? span, Exception? failure = null)
    {
        if (span is null)
        {
            return;
        }

        if (failure is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, failure.Message);
            span.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                ["exception.type"] = failure.GetType().FullName,
                ["exception.message"] = failure.Message,
                ["exception.stacktrace"] = failure.ToString(),
            }));
        }

        span.Dispose();
    }

    /// <summary>
    /// Clears <see cref="Activity.Current"/> until the returned scope is disposed, so that background
    /// work started inside it (it outlives the start) never records its own spans under the start's
    /// span, which ended long before. Costs one read of <see cref="Activity.Current"/> when there is none.
    /// </summary>
    public static AmbientSpanSuppression NoAmbientSpan() => new(Activity.Current);

    /// <summary>The scope of <see cref="NoAmbientSpan"/>: gives the ambient span back when disposed.</summary>
    public readonly struct AmbientSpanSuppression : IDisposable
    {
        private readonly Activity? _ambient;

        public AmbientSpanSuppression(Activity? ambient)
        {
            _ambient = ambient;
            if (ambient is not null)
            {
                Activity.Current = null;
            }
        }

        public void Dispose()
        {
            if (_ambient is not null)
            {
                Activity.Current = _ambient;
            }
        }
    }
}
