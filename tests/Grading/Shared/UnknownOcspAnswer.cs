using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>
/// An OCSP response (RFC 6960) that says <c>unknown</c> for every certificate asked about, signed by the issuing CA: a responder
/// that answers, and answers that it cannot vouch for the certificate. A client must treat that as no answer at all.
/// </summary>
public static class UnknownOcspAnswer
{
    private const string BasicResponse = "1.3.6.1.5.5.7.48.1.1";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    /// <summary>The DER-encoded OCSPResponse to a DER-encoded OCSPRequest, signed by <paramref name="issuer"/> (which holds its ECDSA key).</summary>
    public static byte[] For(ReadOnlySpan<byte> request, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var now = DateTimeOffset.UtcNow;
        var data = new AsnWriter(AsnEncodingRules.DER);
        using (data.PushSequence())
        {
            // ResponderID byKey [2]: the SHA-1 of the issuer's public key.
            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
            {
                data.WriteOctetString(SHA1.HashData(issuer.PublicKey.EncodedKeyValue.RawData));
            }

            data.WriteGeneralizedTime(now, omitFractionalSeconds: true);
            using (data.PushSequence())
            {
                foreach (var certId in CertIds(request.ToArray()))
                {
                    // SingleResponse: the CertID asked about, unknown [2] IMPLICIT NULL, thisUpdate, nextUpdate [0].
                    using (data.PushSequence())
                    {
                        data.WriteEncodedValue(certId);
                        data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2));
                        data.WriteGeneralizedTime(now.AddMinutes(-1), omitFractionalSeconds: true);
                        using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                        {
                            data.WriteGeneralizedTime(now.AddDays(1), omitFractionalSeconds: true);
                        }
                    }
                }
            }
        }

        var tbs = data.Encode();
        using var key = issuer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The issuer has no ECDSA key.");
        var basic = new AsnWriter(AsnEncodingRules.DER);
        using (basic.PushSequence())
        {
            basic.WriteEncodedValue(tbs);
            using (basic.PushSequence())
            {
                basic.WriteObjectIdentifier(EcdsaWithSha256);
            }

            basic.WriteBitString(key.SignData(tbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            response.WriteEnumeratedValue(ResponseStatus.Successful);
            using (response.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (response.PushSequence())
            {
                response.WriteObjectIdentifier(BasicResponse);
                response.WriteOctetString(basic.Encode());
            }
        }

        return response.Encode();
    }

    // OCSPRequest ::= SEQUENCE { tbsRequest SEQUENCE { version [0]?, requestorName [1]?, requestList SEQUENCE OF Request, ... }, ... }
    // Request ::= SEQUENCE { reqCert CertID, ... }: the CertIDs are echoed as they came, in the hash the client chose.
    private static List<byte[]> CertIds(byte[] der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        foreach (var skipped in new[] { 0, 1 })
        {
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, skipped)))
            {
                tbs.ReadEncodedValue();
            }
        }

        var ids = new List<byte[]>();
        var list = tbs.ReadSequence();
        while (list.HasData)
        {
            ids.Add(list.ReadSequence().ReadEncodedValue().ToArray());
        }

        return ids;
    }

    private enum ResponseStatus
    {
        Successful = 0,
    }
}
