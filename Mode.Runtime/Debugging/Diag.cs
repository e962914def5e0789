namespace Mode;

/// <summary>
/// Diagnostic flags of a service (Mode's <c>Diag</c>): what it is doing right now, for the Worker's
/// tree dump and for debugging. Each flag remembers the timestamp of its last transition.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class Diag
{
    private readonly object _lock = new();
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastTransition = new(StringComparer.Ordinal);
    private readonly Func<TimeProvider> _clock;

    internal Diag(Func<TimeProvider> clock) => _clock = clock;

    /// <summary>A snapshot of the active flags, sorted ordinally.</summary>
    public IReadOnlyList<string> Flags
    {
        get
        {
            lock (_lock)
            {
                var flags = _flags.ToArray();
                Array.Sort(flags, StringComparer.Ordinal);
                return flags;
            }
        }
    }

    /// <summary>Whether <paramref name="flag"/> is set.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns><see langword="true"/> if it is set.</returns>
    public bool HasFlag(string flag)
    {
        lock (_lock)
        {
            return _flags.Contains(flag);
        }
    }

    /// <summary>Sets <paramref name="flag"/> and records the time.</summary>
    public void SetFlag(string flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var now = _clock().GetTimestamp();
        lock (_lock)
        {
            _flags.Add(flag);
            _lastTransition[flag] = now;
        }
    }

    /// <summary>Clears <paramref name="flag"/> and records the time.</summary>
    public void UnsetFlag(string flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var now = _clock().GetTimestamp();
        lock (_lock)
        {
            _flags.Remove(flag);
            _lastTransition[flag] = now;
        }
    }

    /// <summary>
    /// The <see cref="TimeProvider.GetTimestamp"/> of the last transition of <paramref name="flag"/>,
    /// or <see langword="null"/> if it never changed.
    /// </summary>
    public long? LastTransition(string flag)
    {
        lock (_lock)
        {
            return _lastTransition.TryGetValue(flag, out var ts) ? ts : null;
        }
    }
}
