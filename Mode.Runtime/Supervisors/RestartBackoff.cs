namespace Mode;

/// <summary>
/// How long a supervisor waits before restarting a crashed service (set
/// <see cref="SupervisorStrategy.Backoff"/>): <see cref="InitialDelay"/> before the first restart,
/// multiplied by <see cref="Factor"/> for each further one, capped at <see cref="Maximum"/>, spread by
/// <see cref="Jitter"/>, and back to the first delay once the service has stayed up for
/// <see cref="ResetAfter"/>. Without a backoff a crashed service is restarted at once.
/// </summary>
/// <remarks>
/// Attempt <c>n</c> (1-based) waits <c>min(Maximum, InitialDelay × Factor^(n−1))</c>, then multiplied
/// by a factor drawn uniformly from <c>[1 − Jitter, 1 + Jitter]</c> and capped at
/// <see cref="Maximum"/> again. The wait is measured on the supervisor's
/// <see cref="Service.TimeProvider"/>; the service is stopped while it waits, and a stop of the
/// supervisor ends the wait at once.
/// </remarks>
public sealed class RestartBackoff
{
    private readonly Random _random;
    private readonly object _randomLock = new();

    /// <summary>Creates a backoff.</summary>
    /// <param name="initialDelay">The wait before the first restart (greater than zero).</param>
    /// <param name="factor">What each further wait is multiplied by (at least 1; default 2).</param>
    /// <param name="maximum">The longest wait (default 5 minutes; at least <paramref name="initialDelay"/>).</param>
    /// <param name="jitter">The spread, a fraction in [0, 1] (default 0.1: ±10 %).</param>
    /// <param name="resetAfter">The uptime after which the next crash starts again at attempt 1 (default: 2 × <paramref name="maximum"/>).</param>
    /// <param name="random">The source of the jitter (default <see cref="Random.Shared"/>; give a seeded one for repeatable delays).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RestartBackoff(
        TimeSpan initialDelay,
        double factor = 2,
        TimeSpan? maximum = null,
        double jitter = 0.1,
        TimeSpan? resetAfter = null,
        Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        if (double.IsNaN(factor) || factor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be at least 1.");
        }

        if (double.IsNaN(jitter) || jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be a fraction between 0 and 1.");
        }

        var max = maximum ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initialDelay, nameof(maximum));
        var reset = resetAfter ?? max * 2;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(reset, TimeSpan.Zero, nameof(resetAfter));
        InitialDelay = initialDelay;
        Factor = factor;
        Maximum = max;
        Jitter = jitter;
        ResetAfter = reset;
        _random = random ?? Random.Shared;
    }

    /// <summary>The wait before the first restart.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>What each further wait is multiplied by.</summary>
    public double Factor { get; }

    /// <summary>The longest wait.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>The spread of each wait, a fraction: 0.1 is ±10 %.</summary>
    public double Jitter { get; }

    /// <summary>After this much uptime, the next crash starts again at attempt 1.</summary>
    public TimeSpan ResetAfter { get; }

    /// <summary>The wait before restart attempt <paramref name="attempt"/> (1-based), jitter included.</summary>
    /// <param name="attempt">The attempt, counted since the last reset (1 or more).</param>
    /// <returns>The wait, between zero and <see cref="Maximum"/>.</returns>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ticks = InitialDelay.Ticks * Math.Pow(Factor, attempt - 1);
        ticks = Math.Min(ticks, Maximum.Ticks);
        if (Jitter > 0)
        {
            double sample;
            lock (_randomLock)
            {
                sample = _random.NextDouble();
            }

            ticks *= 1 + (Jitter * ((2 * sample) - 1));
        }

        return TimeSpan.FromTicks((long)Math.Clamp(ticks, 0, Maximum.Ticks));
    }
}
