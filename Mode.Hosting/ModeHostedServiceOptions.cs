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
}
