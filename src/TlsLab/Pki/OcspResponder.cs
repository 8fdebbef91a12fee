using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Pki;

/// <summary>
/// Answers OCSP requests (RFC 6960) for one CA, signed by the CA itself: for each certificate asked
/// about, "good", "revoked" (with when) or "unknown" (not issued here). Written with the framework's
/// ASN.1 reader and writer; the structures are spelled out below because lesson 08 reads them.
/// </summary>
internal static class OcspResponder
{
    private const string BasicResponse = "1.3.6.1.5.5.7.48.1.1";
    private const string Nonce = "1.3.6.1.5.5.7.48.1.2";

    /// <summary>The DER-encoded OCSPResponse to a DER-encoded OCSPRequest; a malformed request gets the malformedRequest status, not an exception.</summary>
    public static byte[] Answer(CertificateAuthority ca, ReadOnlySpan<byte> request)
    {
        ArgumentNullException.ThrowIfNull(ca);
        List<(byte[] CertId, string Hash, byte[] NameHash, byte[] KeyHash, string Serial)> asked;
        byte[]? nonce;
        try
        {
            (asked, nonce) = Read(request.ToArray());
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or FormatException)
        {
            return Status(OcspStatus.MalformedRequest);
        }

        var now = ca.Time.GetUtcNow();
        var data = new AsnWriter(AsnEncodingRules.DER);
        using (data.PushSequence())
        {
            // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }: by the SHA-1 of the CA's public key.
            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
            {
                data.WriteOctetString(SHA1.HashData(ca.PublicCertificate.PublicKey.EncodedKeyValue.RawData));
            }

            data.WriteGeneralizedTime(now, omitFractionalSeconds: true);
            using (data.PushSequence())
            {
                foreach (var one in asked)
                {
                    WriteSingleResponse(data, one.CertId, Matches(ca, one.Hash, one.NameHash, one.KeyHash) ? ca.StatusOf(one.Serial) : null, now);
                }
            }

            if (nonce is not null)
            {
                // responseExtensions [1] EXPLICIT Extensions: the client's nonce, echoed, so it knows the answer is fresh.
                using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                using (data.PushSequence())
                using (data.PushSequence())
                {
                    data.WriteObjectIdentifier(Nonce);
                    data.WriteOctetString(nonce);
                }
            }
        }

        var tbs = data.Encode();
        var (signature, algorithm, nullParameters) = ca.SignData(tbs);
        var basic = new AsnWriter(AsnEncodingRules.DER);
        using (basic.PushSequence())
        {
            basic.WriteEncodedValue(tbs);
            using (basic.PushSequence())
            {
                basic.WriteObjectIdentifier(algorithm);
                if (nullParameters)
                {
                    basic.WriteNull();
                }
            }

            basic.WriteBitString(signature);
        }

        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            response.WriteEnumeratedValue(OcspStatus.Successful);
            using (response.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (response.PushSequence())
            {
                response.WriteObjectIdentifier(BasicResponse);
                response.WriteOctetString(basic.Encode());
            }
        }

        return response.Encode();
    }

    // OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
    // TBSRequest  ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, requestorName [1] EXPLICIT OPTIONAL,
    //                            requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
    // Request     ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT OPTIONAL }
    // CertID      ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
    //                            issuerKeyHash OCTET STRING, serialNumber INTEGER }
    private static (List<(byte[], string, byte[], byte[], string)>, byte[]?) Read(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            tbs.ReadEncodedValue();
        }

        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            tbs.ReadEncodedValue();
        }

        var asked = new List<(byte[], string, byte[], byte[], string)>();
        var list = tbs.ReadSequence();
        while (list.HasData)
        {
            var request = list.ReadSequence();
            var certIdBytes = request.ReadEncodedValue().ToArray();
            var certId = new AsnReader(certIdBytes, AsnEncodingRules.DER).ReadSequence();
            var algorithm = certId.ReadSequence();
            var hash = algorithm.ReadObjectIdentifier();
            var nameHash = certId.ReadOctetString();
            var keyHash = certId.ReadOctetString();
            var serial = Convert.ToHexString(certId.ReadIntegerBytes().Span);
            asked.Add((certIdBytes, hash, nameHash, keyHash, serial));
        }

        byte[]? nonce = null;
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2)))
        {
            var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var id = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                if (id == Nonce)
                {
                    nonce = value;
                }
            }
        }

        return (asked, nonce);
    }

    // CertID names its issuer by hashes of the issuer's name and public key: compare with ours, in the hash it chose.
    private static bool Matches(CertificateAuthority ca, string hashOid, byte[] nameHash, byte[] keyHash)
    {
        Func<byte[], byte[]>? hash = hashOid switch
        {
            "1.3.14.3.2.26" => SHA1.HashData,
            "2.16.840.1.101.3.4.2.1" => SHA256.HashData,
            "2.16.840.1.101.3.4.2.2" => SHA384.HashData,
            "2.16.840.1.101.3.4.2.3" => SHA512.HashData,
            _ => null,
        };
        return hash is not null
            && hash(ca.PublicCertificate.SubjectName.RawData).AsSpan().SequenceEqual(nameHash)
            && hash(ca.PublicCertificate.PublicKey.EncodedKeyValue.RawData).AsSpan().SequenceEqual(keyHash);
    }

    // SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
    //                               nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL }
    // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }
    private static void WriteSingleResponse(AsnWriter writer, byte[] certId, DateTimeOffset? status, DateTimeOffset now)
    {
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(certId);
            if (status is null)
            {
                writer.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2));
            }
            else if (status == DateTimeOffset.MinValue)
            {
                writer.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 0));
            }
            else
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                {
                    writer.WriteGeneralizedTime(status.Value, omitFractionalSeconds: true);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    {
                        writer.WriteEnumeratedValue(X509RevocationReason.KeyCompromise);
                    }
                }
            }

            writer.WriteGeneralizedTime(now.AddMinutes(-1), omitFractionalSeconds: true);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteGeneralizedTime(now.AddDays(1), omitFractionalSeconds: true);
            }
        }
    }

    private static byte[] Status(OcspStatus status)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEnumeratedValue(status);
        }

        return writer.Encode();
    }

    // OCSPResponseStatus.
    private enum OcspStatus
    {
        Successful = 0,
        MalformedRequest = 1,
    }
}
