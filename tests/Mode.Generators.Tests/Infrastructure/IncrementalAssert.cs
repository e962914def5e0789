using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Mode.Generators.Tests.Infrastructure;

/// <summary>Checks on the tracked steps of an incremental run (cacheability).</summary>
internal static class IncrementalAssert
{
    private static readonly Type[] s_bannedTypes =
    [
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(Compilation),
        typeof(SemanticModel),
        typeof(Location),
        typeof(Diagnostic),
        typeof(AttributeData),
        typeof(GeneratorAttributeSyntaxContext),
    ];

    /// <summary>
    /// Asserts the run reason of every output of every named step: each must be one of
    /// <paramref name="allowed"/>. A named step that did not run at all fails too.
    /// </summary>
    public static void Steps(GeneratorRunResult result, IReadOnlyDictionary<string, IncrementalStepRunReason[]> allowed)
    {
        var failures = new List<string>();
        foreach (var (name, reasons) in allowed)
        {
            if (!result.TrackedSteps.TryGetValue(name, out var steps))
            {
                failures.Add($"{name}: the step did not run.");
                continue;
            }

            foreach (var step in steps)
            {
                foreach (var (value, reason) in step.Outputs)
                {
                    if (!reasons.Contains(reason))
                    {
                        failures.Add($"{name}: {reason}, expected {string.Join(" or ", reasons)} ({value})");
                    }
                }
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail("Unexpected run reasons:\n" + string.Join("\n", failures));
        }
    }

    /// <summary>The run reasons of every output of one named step, in order.</summary>
    public static IncrementalStepRunReason[] ReasonsOf(GeneratorRunResult result, string stepName) =>
        [.. result.TrackedSteps[stepName].SelectMany(static s => s.Outputs).Select(static o => o.Reason)];

    /// <summary>The run reasons of the source outputs (one per generated file).</summary>
    public static IncrementalStepRunReason[] OutputReasons(GeneratorRunResult result) =>
        [.. result.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs).Select(static o => o.Reason)];

    /// <summary>
    /// Walks every value produced by the named steps (fields, recursively, and collections) and fails
    /// on a Roslyn object that would keep a compilation alive or break equality.
    /// </summary>
    public static void NoRoslynObjects(GeneratorRunResult result, IEnumerable<string> stepNames)
    {
        foreach (var name in stepNames)
        {
            if (!result.TrackedSteps.TryGetValue(name, out var steps))
            {
                continue;
            }

            foreach (var step in steps)
            {
                foreach (var (value, _) in step.Outputs)
                {
                    Visit(value, name, "output", new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void Visit(object? value, string step, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value is Enum || value.GetType().IsPrimitive || value is decimal)
        {
            return;
        }

        var type = value.GetType();
        foreach (var banned in s_bannedTypes)
        {
            if (banned.IsAssignableFrom(type))
            {
                Assert.Fail($"Step {step} holds a {banned.Name} at {path} ({type.FullName}).");
            }
        }

        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable enumerable)
        {
            var i = 0;
            foreach (var item in enumerable)
            {
                Visit(item, step, $"{path}[{i++}]", seen);
            }

            return;
        }

        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Visit(field.GetValue(value), step, path + "." + field.Name, seen);
            }
        }
    }
}
