using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mode.Diagnostics;
using Mode.Hosting.Tests.Support;
using Mode.TestKit;

namespace Mode.Hosting.Tests;

/// <summary>
/// What an OpenTelemetry <c>AddSource("Mode")</c> receives from a hosted tree, seen through an
/// <see cref="ActivityListener"/> (what OpenTelemetry registers under the hood).
/// </summary>
public sealed class TracingTests : IDisposable
{
    // The listener is process-wide and other tests' trees run in parallel: keep this test's spans only.
    private readonly string _prefix = "traced-" + Guid.NewGuid().ToString("N")[..8] + "-";
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == ModeActivities.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(ModeActivities.ServiceTag) is string label && label.StartsWith(_prefix, StringComparison.Ordinal))
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task HostStartsAndStopsTree_StartSpansAndStopSpansNestedAsTheTree()
    {
        var recorder = new Recorder();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe(_prefix + "app", recorder, new Probe(_prefix + "a", recorder), new Probe(_prefix + "b", recorder)));
        using var host = builder.Build();

        await host.StartAsync().Within();
        var app = Span("start app");
        Assert.Null(app.Parent);
        Assert.Same(app, Span("start a").Parent);
        Assert.Same(app, Span("start b").Parent);
        Assert.Equal(typeof(Probe).FullName, app.GetTagItem(ModeActivities.ServiceTypeTag));
        Assert.Equal(["OnFirstStartAsync", "OnStartAsync", "children", "OnStartedAsync"], app.Events.Select(static e => e.Name));

        await host.StopAsync().Within();
        var stop = Span("stop app");
        Assert.Null(stop.Parent);
        Assert.NotEqual(app.TraceId, stop.TraceId);
        Assert.Same(stop, Span("stop b").Parent);
        Assert.Same(stop, Span("stop a").Parent);
        Assert.True(Span("stop b").StartTimeUtc <= Span("stop a").StartTimeUtc); // reverse order
        Assert.All(_spans, static s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
        Assert.Equal(6, _spans.Count);
    }

    [Fact]
    public async Task TreeStartFails_StartSpansRecordTheException()
    {
        var recorder = new Recorder();
        var builder = TestHost.CreateBuilder();
        var broken = new Probe(_prefix + "broken", recorder) { OnStart = static _ => throw new InvalidOperationException("no database") };
        builder.Services.AddModeService(_ => new Probe(_prefix + "app", recorder, broken));
        using var host = builder.Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().Within());

        foreach (var name in new[] { "start broken", "start app" })
        {
            var span = Span(name);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("no database", span.StatusDescription);
            Assert.Contains(span.Events, static e => e.Name == "exception");
        }
    }

    private Activity Span(string name) => Assert.Single(_spans, s => s.DisplayName == name.Replace(" ", " " + _prefix, StringComparison.Ordinal));
}
