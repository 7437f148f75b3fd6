using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Tests.Security;

/// <summary>
/// Fixed keys and a proof computed by libsodium (PyNaCl 1.5 and pyzmq 24 with libzmq 4.3.4): client secret = bytes 1..32,
/// bridge secret = bytes 101..132, routing identity = 0x80..0x8f, nonce = bytes 200..223, time 1 700 000 000.
/// </summary>
internal static class KnownKeys
{
    public const string ClientSecretZ85 = "0rJua1Qkhq2)}4G4gS)W5Ft->6=4P585:Cl9uDpB";
    public const string ClientPublicZ85 = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk";
    public const string BridgeSecretZ85 = "wObN*x>?B1zeKohADlbxB-}$ND3T*+EsuV@FR5Jc";
    public const string BridgePublicZ85 = "r$]?G5O}bKhM?emC%9YjTR?kWN-cTl1&]RpI:m+f";
    public const long ProofTime = 1_700_000_000;

    /// <summary>Box(client secret, bridge public).encrypt(b"sim-bridge hello" + pack("&lt;q", time) + identity, nonce).</summary>
    public const string LibsodiumProofHex =
        "c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf6b4743fa38965e9274f82c1587539746b5d35f788ccb72b654dc024b8662117c720df4cfa732d6fdee24394e49e435b7a04b457768ba7a5e";

    public static byte[] Identity => Enumerable.Range(0x80, 16).Select(i => (byte)i).ToArray();
    public static CurveKeyPair Client => CurveKeyPair.FromSecretKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    public static CurveKeyPair Bridge => CurveKeyPair.FromSecretKey(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
}
