using System.Collections.Concurrent;

namespace Mode.Internal;

/// <summary>
/// The default <see cref="IService.Label"/> of a <see cref="Service"/> or <see cref="ServiceProxy"/>:
/// its class name without generic arity (<c>Box`1</c> → <c>Box</c>), computed once per type.
/// </summary>
internal static class DefaultLabels
{
    private static readonly ConcurrentDictionary<Type, string> s_labels = new();

    public static string Of(Type type) => s_labels.GetOrAdd(type, static t =>
    {
        var name = t.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    });
}
