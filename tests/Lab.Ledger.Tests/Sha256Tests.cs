using System.Security.Cryptography;
using System.Text;
using Lab.Ledger.Crypto;
using Lab.Sim.Randomness;

namespace Lab.Ledger.Tests;

public class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void The_FIPS_180_2_vectors_hash_correctly(string input, string expected)
    {
        Assert.Equal(expected, Hash.Of(Encoding.ASCII.GetBytes(input)).ToString());
    }

    [Fact]
    public void Every_length_up_to_two_kilobytes_agrees_with_the_one_shot_platform_hash()
    {
        var rng = new SimRandom(9);
        for (int length = 0; length <= 2048; length++)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            Assert.Equal(Hash.FromBytes(SHA256.HashData(data)), Hash.Of(data));
        }
    }
}
