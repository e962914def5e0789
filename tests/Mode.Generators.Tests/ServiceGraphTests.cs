using Mode.Generators.Tests.Infrastructure;
using Mode.Shared;

namespace Mode.Generators.Tests;

/// <summary>
/// <c>ModeServiceGraph</c>, the compile-time <c>[DependsOn]</c> graph (every snapshot test has it too):
/// services and types from a referenced assembly as vertices, names shared by two types, the
/// namespace the class goes in, and escaping.
/// </summary>
public sealed class ServiceGraphTests
{
    [Fact]
    public Task CrossAssemblyDependencies_AreVerticesOfTheGraph() =>
        Snapshot.VerifyAsync(new GeneratorInput(
            Sources:
            [
                """
                using Mode;
                using Shared.Storage;

                namespace App;

                public partial class Cache : Service
                {
                    [DependsOn] private readonly Store _store = new();
                    [DependsOn] private readonly Box<Store> _boxed = new(new Store());
                    [DependsOn] private readonly Worker _worker = new();
                }

                public sealed partial class Worker : Service
                {
                    [DependsOn] private readonly Store _store = new();
                    [DependsOn] private readonly Pool.Lane? _lane = null;
                }
                """,
            ],
            Library: """
                namespace Shared.Storage;

                public sealed class Store : Mode.Service;

                public sealed class Box<T>(T content) : Mode.Service
                {
                    public T Content { get; } = content;
                }

                public static class Pool
                {
                    public sealed class Lane : Mode.Service;
                }
                """));

    [Fact]
    public Task SameNameInTwoNamespaces_LabelledWithTheirFullNames() =>
        Snapshot.VerifyAsync(
        [
            """
            using Mode;

            namespace App.Billing
            {
                public sealed class Store : Service;
            }

            namespace App.Orders
            {
                public sealed class Store : Service;

                public partial class Checkout : Service
                {
                    [DependsOn] private readonly Billing.Store _billing = new();
                    [DependsOn] private readonly Store _orders = new();
                }
            }
            """,
        ]);

    [Fact]
    public Task RootNamespace_IsTheGraphsNamespace_MadeAValidName() =>
        Snapshot.VerifyAsync(new GeneratorInput(
            Sources:
            [
                """
                using Mode;

                namespace App;

                public partial class Poller : Service
                {
                    [Timer(1)] private void Tick() { }
                }
                """,
            ],
            RootNamespace: "My-App.2nd.class"));

    [Fact]
    public void Namespace_AnyRootNamespace_IsAValidCSharpNameOrNone()
    {
        Assert.Null(ServiceGenerator.ServiceGraph.Namespace(null));
        Assert.Null(ServiceGenerator.ServiceGraph.Namespace(" "));
        Assert.Equal("Tutorial", ServiceGenerator.ServiceGraph.Namespace("Tutorial"));
        Assert.Equal("My_App._2nd.@class", ServiceGenerator.ServiceGraph.Namespace("My-App.2nd.class"));
        Assert.Equal("A.B", ServiceGenerator.ServiceGraph.Namespace("A..B"));
    }

    [Theory]
    [InlineData("Box<T>", "Box#lt;T#gt;", "Box<T>")]
    [InlineData("say \"hi\" #1", "say #quot;hi#quot; #35;1", "say \\\"hi\\\" #1")]
    [InlineData("a\\b\nc\r", "a\\b<br/>c", "a\\\\b\\nc")]
    public void Escape_Labels_AsTheRuntimeGraphsDo(string label, string mermaid, string dot)
    {
        // The same file is linked into the runtime; Mode.Runtime.Tests (ServiceGraphTests) checks
        // the runtime's compiled copy against the same values.
        Assert.Equal(mermaid, GraphLabels.EscapeMermaid(label));
        Assert.Equal(dot, GraphLabels.EscapeDot(label));
    }

    [Fact]
    public async Task NoServices_NoGraph()
    {
        // Only annotated services make a graph; a compilation without any gets no file at all.
        await new GeneratorTest().WithSource("""
            namespace App;

            public sealed class Db : Mode.Service;
            """).RunAsync();
    }
}
