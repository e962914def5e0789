using System.Collections;

namespace Mode.Logging;

/// <summary>
/// The logging scope every line of a service is written in: its label and depth in the tree.
/// <see cref="ToString"/> gives Mode's prefix, <c>[^--Label]</c>; structured loggers see the
/// <c>ServiceLabel</c>, <c>ServiceShortLabel</c> and <c>ServiceDepth</c> properties.
/// </summary>
public sealed class ServiceLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    internal ServiceLogScope(IService service) => Service = service;

    /// <summary>The service that writes the line.</summary>
    public IService Service { get; }

    /// <summary>Mode's prefix without the trailing colon: <c>[^</c>, one dash per ancestor, the short label, <c>]</c>.</summary>
    public string Prefix
    {
        get
        {
            var depth = Service.Beacon.Depth;
            return string.Concat("[^", new string('-', depth - 1), Service.ShortLabel, "]");
        }
    }

    /// <inheritdoc/>
    public int Count => 3;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ServiceLabel", Service.Label),
        1 => new("ServiceShortLabel", Service.ShortLabel),
        2 => new("ServiceDepth", Service.Beacon.Depth),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => Prefix;
}
