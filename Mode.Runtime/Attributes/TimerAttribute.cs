namespace Mode;

/// <summary>
/// Marks a method of a <see cref="Service"/> to run periodically while the service runs
/// (Mode's <c>@Service.timer</c>).
/// </summary>
/// <remarks>
/// <para>Ticks are scheduled against absolute deadlines taken from the service's
/// <see cref="Service.TimeProvider"/>: tick <c>k</c> is due at <c>start + k·interval</c>, so drift
/// never accumulates. The first tick is one interval after start unless <see cref="ExecFirst"/> is
/// set. The body is awaited inline, so ticks never overlap: a body that overruns skips the missed
/// ticks (logged as overlapping) instead of running them in a burst.</para>
/// <para>Supported signatures: <c>void M()</c>, <c>Task M()</c>, <c>ValueTask M()</c> and the same with
/// one <c>CancellationToken</c> parameter.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TimerAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="seconds">The interval in seconds; must be finite and greater than zero.</param>
    public TimerAttribute(double seconds) => Seconds = seconds;

    /// <summary>The interval between ticks, in seconds.</summary>
    public double Seconds { get; }

    /// <summary>When <see langword="true"/>, the method also runs once right at start.</summary>
    public bool ExecFirst { get; set; }

    /// <summary>The timer's name in log lines and diagnostics; defaults to <c>Class.Method</c>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Kept for Mode compatibility (default 0.1 s). Mode clamps its sleep correction to this value;
    /// deadline scheduling needs no correction, so here it is the lateness below which a late wake-up
    /// is not counted as drift.
    /// </summary>
    public double MaxDriftCorrection { get; set; } = TimerDefaults.MaxDriftCorrectionSeconds;

    /// <summary>What an unhandled exception does; see <see cref="BackgroundErrorPolicy"/>.</summary>
    public BackgroundErrorPolicy OnError { get; set; }
}

/// <summary>Default values shared by <see cref="TimerAttribute"/> and the runtime (the generator keeps a copy).</summary>
internal static class TimerDefaults
{
    /// <summary>Mode's default <c>max_drift_correction</c>, in seconds.</summary>
    public const double MaxDriftCorrectionSeconds = 0.1;
}
