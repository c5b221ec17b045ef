using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Inpaint.Server.Tests;

/// <summary>A request body that trickles in is refused with 408 Request Timeout, not 400: through Kestrel on a real port.</summary>
public sealed class SlowBodyTests
{
    [Fact]
    public async Task A_body_arriving_at_4_bytes_a_second_is_408()
    {
        using var server = new ServerFactory();
        // Kestrel's rule with a shorter grace period than its default 5 s, so the test takes seconds.
        server.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2));
        });
        server.StartServer();
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v1/repair HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"));
        Task<string> answer = ReadHeadAsync(stream);
        for (int second = 0; second < 30 && !answer.IsCompleted; second++)
        {
            try
            {
                await stream.WriteAsync("--b\r"u8.ToArray());
            }
            catch (IOException)
            {
                break; // the server has closed its side
            }
            await Task.WhenAny(answer, Task.Delay(1000));
        }
        string head = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 408", head);
        Assert.Contains("arrived too slowly", head);
    }

    /// <summary>What the server answers, up to 4 KB (status line, headers and the start of the problem).</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read));
            if (n == 0) break;
            read += n;
            string text = Encoding.UTF8.GetString(buffer, 0, read);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal) && text.Contains('}')) break;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
