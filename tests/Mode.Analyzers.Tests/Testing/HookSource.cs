namespace Mode.Analyzers.Tests.Testing;

/// <summary>Test sources: code inside a service's hook.</summary>
internal static class HookSource
{
    /// <summary>A service <c>App</c> whose async <c>OnStartAsync</c> runs <paramref name="body"/>, then awaits.</summary>
    public static string InStartAsync(string body, string members = "") => $$"""
        public partial class App : Service
        {
            {{members}}

            protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
            {
                {{body}}
                await Task.Yield();
            }
        }
        """;
}
