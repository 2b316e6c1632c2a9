package io.kms4j.pkcs11.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V1TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The self-signed X.509 v1 certificate kms4j stores beside each key pair on the token.
 *
 * <p>Why it exists: SunPKCS11's KeyStore, the only public way to find a token private key again in a later
 * process, lists a private key only together with a certificate carrying the same {@code CKA_ID}, and the KeyStore
 * returns no public-key objects at all. The certificate is that anchor, and it carries the public key (read from
 * the token's public-key object when the pair is made) to later processes. It is signed on the token by the new
 * private key, so it also proves the pair works. It asserts nothing else: subject and issuer are the object label.
 *
 * <p>Not API. Thread safety: stateless.
 */
final class KeyPairCertificate {
    /** Long enough never to matter: nothing checks this certificate's validity period. */
    private static final long VALIDITY_DAYS = 100L * 366;

    private KeyPairCertificate() {
    }

    /**
     * Builds the certificate for {@code pair} (keys of {@code provider}), signed on the token.
     *
     * @throws GeneralSecurityException when the token fails to sign
     */
    static X509Certificate create(String label, KeyPair pair, Provider provider) throws GeneralSecurityException {
        boolean rsa = pair.getPublic().getAlgorithm().equals("RSA");
        String jcaSignature;
        AlgorithmIdentifier signatureAlgorithm;
        if (rsa) {
            jcaSignature = "SHA256withRSA";
            signatureAlgorithm = new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption,
                    DERNull.INSTANCE);
        } else {
            int bits = ((java.security.interfaces.ECPublicKey) pair.getPublic()).getParams().getOrder().bitLength();
            boolean p384 = bits > 256;
            jcaSignature = p384 ? "SHA384withECDSA" : "SHA256withECDSA";
            ASN1ObjectIdentifier oid = p384 ? X9ObjectIdentifiers.ecdsa_with_SHA384
                    : X9ObjectIdentifiers.ecdsa_with_SHA256;
            signatureAlgorithm = new AlgorithmIdentifier(oid);
        }
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, label).build();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        V1TBSCertificateGenerator tbs = new V1TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(BigInteger.ONE));
        tbs.setSignature(signatureAlgorithm);
        tbs.setIssuer(name);
        tbs.setSubject(name);
        tbs.setStartDate(new Time(Date.from(now)));
        tbs.setEndDate(new Time(Date.from(now.plus(VALIDITY_DAYS, ChronoUnit.DAYS))));
        tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
        TBSCertificate toBeSigned = tbs.generateTBSCertificate();
        try {
            Signature signer = Signature.getInstance(jcaSignature, provider);
            signer.initSign(pair.getPrivate());
            signer.update(toBeSigned.getEncoded(ASN1Encoding.DER));
            byte[] signature = signer.sign();
            byte[] der = new DERSequence(new ASN1Encodable[] {toBeSigned, signatureAlgorithm,
                    new DERBitString(signature)}).getEncoded(ASN1Encoding.DER);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode the key pair's certificate", e);
        }
    }
}
