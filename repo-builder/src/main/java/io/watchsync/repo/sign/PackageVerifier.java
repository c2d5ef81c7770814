package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.rpm.Header;
import io.watchsync.repo.rpm.RpmException;
import io.watchsync.repo.rpm.RpmFile;
import io.watchsync.repo.rpm.RpmLayout;
import io.watchsync.repo.rpm.RpmTags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks that a package was signed by one of the trusted keys and not changed since, the way rpm
 * checks it: the OpenPGP signature over the header (RSAHEADER or DSAHEADER), then the header's own
 * digests (the SHA-256 of the payload among them); a package whose header holds no payload digest
 * must carry a signature over header and payload (PGP or GPG tag), which is checked too. Signatures
 * made with SHA-1 or weaker are refused, as EL 9's crypto policy refuses them.
 */
public final class PackageVerifier {
  private static final int SHA256_ALGO = 8;

  private final TrustedKeys keys;

  public PackageVerifier(TrustedKeys keys) {
    this.keys = keys;
  }

  /** The verdict on a package that passed: the key that signed it. */
  public record Verified(Path file, String keyId) {}

  /**
   * Verifies {@code file}.
   *
   * @throws PackageRejectedException naming the file, the key id found and why it is refused
   */
  public Verified verify(Path file) throws PackageRejectedException {
    RpmLayout layout;
    try {
      layout = RpmLayout.read(file);
    } catch (RpmException e) {
      throw new PackageRejectedException(file, null, reasonOf(e));
    }
    return verify(
        file,
        layout.signature(),
        layout.header(),
        layout.headerBytes(),
        layout.headerStart(),
        false);
  }

  /**
   * Verifies a package whose digests {@link RpmFile#read} checked just now (while it arrived, say),
   * so that only the signatures are left to check: its payload is not read again, unless it carries
   * a signature over header and payload.
   *
   * @throws PackageRejectedException naming the file, the key id found and why it is refused
   */
  public Verified verify(RpmFile checked) throws PackageRejectedException {
    return verify(
        checked.path(),
        checked.signature(),
        checked.header(),
        checked.headerBytes(),
        checked.headerStart(),
        true);
  }

  private Verified verify(
      Path file,
      Header signature,
      Header main,
      byte[] headerBytes,
      long headerStart,
      boolean digestsChecked)
      throws PackageRejectedException {
    byte[] headerSig = first(signature, RpmTags.SIG_RSAHEADER, RpmTags.SIG_DSAHEADER);
    byte[] wholeSig = first(signature, RpmTags.SIG_PGP, RpmTags.SIG_GPG);
    if (headerSig == null && wholeSig == null) {
      throw new PackageRejectedException(file, null, "not signed");
    }
    PGPSignature header = headerSig == null ? null : trusted(file, headerSig);
    PGPSignature whole = wholeSig == null ? null : trusted(file, wholeSig);
    String keyId = KeyIds.format(issuer(header != null ? header : whole));
    if (header != null && !verifies(header, headerBytes)) {
      throw new PackageRejectedException(
          file,
          keyId,
          "BAD signature from key ID " + keyId + ": the header was changed after signing");
    }
    if (!digestsChecked) {
      try {
        RpmFile.read(file);
      } catch (RpmException e) {
        throw new PackageRejectedException(
            file, keyId, "signed by key ID " + keyId + ", changed after signing: " + reasonOf(e));
      }
    }
    boolean payloadInHeader =
        main.string(RpmTags.PAYLOADDIGEST) != null
            && main.number(RpmTags.PAYLOADDIGESTALGO, -1) == SHA256_ALGO;
    if (whole != null) {
      if (!verifiesFrom(whole, file, headerStart)) {
        throw new PackageRejectedException(
            file,
            keyId,
            "BAD signature from key ID " + keyId + ": header or payload changed after signing");
      }
    } else if (!payloadInHeader || header == null) {
      throw new PackageRejectedException(
          file,
          keyId,
          "signed by key ID "
              + keyId
              + " over the header only, and the header holds no SHA-256 digest of the payload");
    }
    return new Verified(file, keyId);
  }

  private static byte[] first(Header signature, int tag, int fallback) {
    byte[] sig = signature.bin(tag);
    return sig != null ? sig : signature.bin(fallback);
  }

  /** The signature, once its key is known to be trusted and its hash strong enough. */
  private PGPSignature trusted(Path file, byte[] packet) throws PackageRejectedException {
    PGPSignature sig = parse(packet);
    if (sig == null) {
      throw new PackageRejectedException(file, null, "the signature cannot be read");
    }
    long issuer = issuer(sig);
    String keyId = KeyIds.format(issuer);
    PGPPublicKey key = keys.find(issuer);
    if (key == null) {
      throw new PackageRejectedException(
          file,
          keyId,
          "signed by key ID "
              + keyId
              + ", which is not a trusted key (trusted: "
              + String.join(", ", keys.ids())
              + ")");
    }
    int hash = sig.getHashAlgorithm();
    if (hash == HashAlgorithmTags.MD5
        || hash == HashAlgorithmTags.SHA1
        || hash == HashAlgorithmTags.RIPEMD160) {
      throw new PackageRejectedException(
          file,
          keyId,
          "signed by key ID " + keyId + " with a SHA-1 (or weaker) digest, which EL 9 refuses");
    }
    try {
      sig.init(new BcPGPContentVerifierBuilderProvider(), key);
    } catch (PGPException e) {
      throw new PackageRejectedException(
          file,
          keyId,
          "the signature of key ID " + keyId + " cannot be checked: " + e.getMessage());
    }
    return sig;
  }

  private static PGPSignature parse(byte[] packet) {
    try {
      Object o = new BcPGPObjectFactory(packet).nextObject();
      if (o instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
      return o instanceof PGPSignature s ? s : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The signing key's id: the issuer subpacket, else the end of the issuer fingerprint. */
  private static long issuer(PGPSignature sig) {
    long id = sig.getKeyID();
    if (id == 0 && sig.getHashedSubPackets() != null) {
      IssuerFingerprint fp = sig.getHashedSubPackets().getIssuerFingerprint();
      if (fp != null) {
        byte[] f = fp.getFingerprint();
        for (int i = f.length - 8; i < f.length; i++) {
          id = (id << 8) | (f[i] & 0xff);
        }
      }
    }
    return id;
  }

  private static boolean verifies(PGPSignature sig, byte[] data) {
    sig.update(data);
    try {
      return sig.verify();
    } catch (PGPException e) {
      return false;
    }
  }

  private static boolean verifiesFrom(PGPSignature sig, Path file, long start)
      throws PackageRejectedException {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(start);
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sig.update(buffer, 0, n);
      }
      return sig.verify();
    } catch (IOException e) {
      throw new PackageRejectedException(file, null, "cannot read: " + IoErrors.reason(e));
    } catch (PGPException e) {
      return false;
    }
  }

  private static String reasonOf(RpmException e) {
    String prefix = e.file() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
