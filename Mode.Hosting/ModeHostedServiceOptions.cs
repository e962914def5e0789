namespace Mode.Hosting;

/// <summary>How a Mode service tree behaves inside the Generic Host (see <see cref="ModeHostedService"/>).</summary>
public sealed class ModeHostedServiceOptions
{
    /// <summary>
    /// The process exit code set (through <see cref="Environment.ExitCode"/>) when the tree crashes
    /// (default 1). The Generic Host itself exits 0 after a stop, whatever stopped it.
    /// </summary>
    public int CrashExitCode { get; set; } = 1;

    /// <summary>
    /// When <see langword="true"/> (the default), a tree that stops by itself, not because the host is
    /// stopping, stops the host too, as Mode's Worker exits when its service stops. The exit code is
    /// left as it is (0 unless something else set it).
    /// </summary>
    public bool StopApplicationWhenStopped { get; set; } = true;

    /// <summary>
    /// The limit on the tree's start (default 5 minutes, as the Worker's; <see langword="null"/> for
    /// none). It becomes the root service's <see cref="Service.StartTimeout"/> unless that is set:
    /// when it expires the start fails with a <see cref="TimeoutException"/> naming the service still
    /// starting and the hook it is in, what started is stopped in reverse, and the host's start fails.
    /// </summary>
    /// <remarks>
    /// The host's own <c>HostOptions.StartupTimeout</c> is honoured as well, whichever expires first:
    /// the host cancels the start token it passes to <see cref="ModeHostedService.StartAsync"/>, and
    /// the hosted service then fails the start the same way (a hook that ignores the token does not
    /// hold it).
    /// </remarks>
    public TimeSpan? StartTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
