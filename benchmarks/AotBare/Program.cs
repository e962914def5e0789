using System.Globalization;

// The bare lower bound of the NativeAOT benchmark: the lines the Mode app prints, written by hand.
Write("INFO", "[^HelloService]: Starting...");
Write("INFO", "[^HelloService]: Hello from NativeAOT");
Write("INFO", "[^HelloService]: Stopping...");
return 0;

static void Write(string level, string message)
{
    var now = TimeProvider.System.GetLocalNow();
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{now:yyyy-MM-dd HH:mm:ss,fff}: {level}]: {message}"));
}
