namespace Mode.Generators.Models;

/// <summary>A <c>[Task]</c> method.</summary>
/// <param name="Name">The registered name: <c>Class.Method</c>.</param>
/// <param name="Method">How to call it.</param>
internal sealed record TaskModel(string Name, MethodInvocation Method);
