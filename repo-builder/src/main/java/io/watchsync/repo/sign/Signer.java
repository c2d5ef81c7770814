package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An RSA secret key ready to sign: makes OpenPGP v4 signatures with SHA-256, which EL 9's crypto
 * policy accepts (it refuses SHA-1). The key is read from an armored file such as {@code
 * repo-builder keygen} writes or {@code gpg --export-secret-keys --armor} exports; the primary key
 * signs when it may, else the first subkey that may sign.
 */
public final class Signer {
  private final PGPPrivateKey privateKey;
  private final PGPPublicKey publicKey;

  private Signer(PGPPrivateKey privateKey, PGPPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Reads the secret key in {@code keyFile}, unlocked with the passphrase in {@code passphraseFile}
   * (null: the key is not protected).
   */
  public static Signer load(Path keyFile, Path passphraseFile) throws SigningException {
    PGPSecretKey secret = signingKey(keyFile);
    char[] passphrase = Passphrase.read(passphraseFile);
    try {
      boolean locked = secret.getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL;
      if (locked && passphrase == null) {
        throw SigningException.config(
            keyFile + ": the key is protected by a passphrase; give --passphrase-file");
      }
      PGPPrivateKey privateKey;
      try {
        privateKey =
            secret.extractPrivateKey(
                locked
                    ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                        .build(passphrase)
                    : null);
      } catch (PGPException | RuntimeException e) {
        throw SigningException.config(
            keyFile + ": cannot unlock the key: wrong passphrase, or a protection not supported");
      }
      return new Signer(privateKey, secret.getPublicKey());
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }

  private static PGPSecretKey signingKey(Path keyFile) throws SigningException {
    PGPSecretKeyRingCollection rings;
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(keyFile))) {
      rings = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
    } catch (NoSuchFileException e) {
      throw SigningException.config(keyFile + ": no such file");
    } catch (IOException e) {
      throw SigningException.config(keyFile + ": cannot read: " + IoErrors.reason(e));
    } catch (PGPException | RuntimeException e) {
      throw SigningException.config(
          keyFile + ": not an OpenPGP secret key (a public key, or not armored OpenPGP)");
    }
    List<PGPSecretKey> candidates = new ArrayList<>();
    for (Iterator<PGPSecretKeyRing> r = rings.getKeyRings(); r.hasNext(); ) {
      for (Iterator<PGPSecretKey> k = r.next().getSecretKeys(); k.hasNext(); ) {
        candidates.add(k.next());
      }
    }
    if (candidates.isEmpty()) {
      throw SigningException.config(keyFile + ": holds no secret key");
    }
    for (PGPSecretKey key : candidates) {
      if (key.isPrivateKeyEmpty() || !maySign(key.getPublicKey())) {
        continue;
      }
      if (!isRsa(key.getPublicKey())) {
        throw SigningException.config(
            keyFile
                + ": key ID "
                + KeyIds.format(key.getKeyID())
                + " is not an RSA key; rpm on EL 7 and 8 verifies only RSA (and DSA) signatures");
      }
      return key;
    }
    throw SigningException.config(keyFile + ": holds no secret key that may sign");
  }

  private static boolean maySign(PGPPublicKey key) {
    Iterator<PGPSignature> sigs = key.getSignatures();
    int flags = 0;
    boolean flagged = false;
    while (sigs.hasNext()) {
      PGPSignature sig = sigs.next();
      if (sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getKeyFlags() != 0) {
        flags |= sig.getHashedSubPackets().getKeyFlags();
        flagged = true;
      }
    }
    // A key without key flags is a signing key when it is a primary key (RFC 4880, 5.2.3.21).
    return flagged ? (flags & KeyFlags.SIGN_DATA) != 0 : key.isMasterKey();
  }

  private static boolean isRsa(PGPPublicKey key) {
    int a = key.getAlgorithm();
    return a == PublicKeyAlgorithmTags.RSA_GENERAL || a == PublicKeyAlgorithmTags.RSA_SIGN;
  }

  /** The key id of the signing key. */
  public long keyId() {
    return publicKey.getKeyID();
  }

  /** The OpenPGP signature packet (binary, not armored) over everything {@code data} holds. */
  public byte[] sign(InputStream data) throws IOException {
    PGPSignatureGenerator generator = generator();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = data.read(buffer)) > 0; ) {
      generator.update(buffer, 0, n);
    }
    try {
      return generator.generate().getEncoded();
    } catch (PGPException e) {
      throw new IOException("cannot sign: " + e.getMessage(), e);
    }
  }

  /** The signature packet over {@code data}. */
  public byte[] sign(byte[] data) {
    try {
      return sign(new java.io.ByteArrayInputStream(data));
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** An armored detached signature over {@code data}, as {@code gpg --detach-sign --armor}. */
  public String signArmored(byte[] data) {
    return armor(sign(data));
  }

  /** An armored detached signature over everything {@code data} holds. */
  public String signArmored(InputStream data) throws IOException {
    return armor(sign(data));
  }

  private static String armor(byte[] packet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
      armor.write(packet);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private PGPSignatureGenerator generator() throws IOException {
    try {
      PGPSignatureGenerator generator =
          new PGPSignatureGenerator(
              new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256),
              publicKey);
      generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(false, new Date());
      hashed.setIssuerFingerprint(false, publicKey);
      // rpm finds the key by the 64-bit issuer key id; older rpm knows no fingerprint subpacket.
      hashed.setIssuerKeyID(false, publicKey.getKeyID());
      generator.setHashedSubpackets(hashed.generate());
      return generator;
    } catch (PGPException e) {
      throw new IOException("cannot sign: " + e.getMessage(), e);
    }
  }
}
