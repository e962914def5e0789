using Mode.Generators.Helpers;
using Mode.Generators.Models;

namespace Mode.Generators.Tests;

public sealed class EquatableArrayTests
{
    [Fact]
    public void Equals_SameElementsInDifferentArrays_EqualWithSameHash()
    {
        var a = new EquatableArray<string>(["a", "b"]);
        var b = new[] { "a", "b" }.ToEquatableArray();

        Assert.True(a.Equals(b));
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentElementsOrOrderOrLength_NotEqual()
    {
        var ab = new EquatableArray<string>(["a", "b"]);

        Assert.NotEqual(ab, new EquatableArray<string>(["b", "a"]));
        Assert.NotEqual(ab, new EquatableArray<string>(["a"]));
        Assert.NotEqual(ab, new EquatableArray<string>(["a", "b", "c"]));
        Assert.False(ab.Equals("not an array"));
    }

    [Fact]
    public void Default_IsEmptyAndEqualToEmptyArray()
    {
        EquatableArray<string> none = default;

        Assert.True(none.IsEmpty);
        Assert.Empty(none);
        Assert.Equal(none, new EquatableArray<string>([]));
        Assert.Equal(none.GetHashCode(), new EquatableArray<string>([]).GetHashCode());
        Assert.Equal(EquatableArray<string>.Empty, none);
    }

    [Fact]
    public void Equals_RecordsHoldingArrays_CompareByValue()
    {
        static ServiceModel Model(double seconds) => new(
            new TypeHierarchy("App", new EquatableArray<TypeDeclarationInfo>([new("class", false, "Svc", "")]), "global::App.Svc", "App.Svc", Db("Svc")),
            new EquatableArray<MemberModel>(
            [
                new DependencyModel("_db", "_db", Db("Db")),
                new TimerModel("Svc.Tick", new MethodInvocation("Tick", ReturnKind.Void, false), seconds, false, 0.1, 0),
            ]));

        static GraphVertex Db(string name) => new("global::App." + name, name, "App." + name);

        Assert.Equal(Model(1), Model(1));
        Assert.Equal(Model(1).GetHashCode(), Model(1).GetHashCode());
        Assert.NotEqual(Model(1), Model(2));
    }

    [Fact]
    public void Indexer_AndEnumeration_ReturnElementsInOrder()
    {
        var array = new EquatableArray<int>([3, 1, 2]);

        Assert.Equal(3, array.Count);
        Assert.Equal(1, array[1]);
        Assert.Equal([3, 1, 2], array);
    }
}
