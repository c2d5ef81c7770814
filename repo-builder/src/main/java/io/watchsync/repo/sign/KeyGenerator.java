package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Makes an RSA signing key for packages and repositories: one primary key that certifies and signs
 * (rpm on EL 7 to 10 verifies signatures of RSA primary keys), self-signed with SHA-256, without
 * expiry. Writes {@code RPM-GPG-KEY-SLUG} (the armored public key, for rpm --import and gpgkey=)
 * and {@code SLUG.secret.asc} (the armored secret key, mode 0600), never over existing files.
 */
public final class KeyGenerator {
  /** "NAME <EMAIL>", the user id gpg and rpm show. */
  private static final Pattern USER_ID =
      Pattern.compile("([^<>]*[^<>\\s])\\s+<([^<>\\s]+@[^<>\\s]+)>");

  public static final int DEFAULT_BITS = 4096;
  public static final int MIN_BITS = 2048;
  public static final int MAX_BITS = 16384;

  /** The two files written. */
  public record KeyFiles(Path publicKey, Path secretKey, long keyId) {}

  private final String userId;
  private final int bits;

  /**
   * @throws SigningException a config error: the user id is not "NAME <EMAIL>", or bits is out of
   *     range
   */
  public KeyGenerator(String userId, int bits) throws SigningException {
    if (userId == null
        || !USER_ID.matcher(userId).matches()
        || userId.chars().anyMatch(Character::isISOControl)) {
      throw SigningException.config(
          "--name '" + userId + "': use \"NAME <EMAIL>\", e.g. \"Example Ops <ops@example.org>\"");
    }
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw SigningException.config(
          "--bits "
              + bits
              + ": use "
              + MIN_BITS
              + " to "
              + MAX_BITS
              + " (EL 9 refuses shorter keys)");
    }
    this.userId = userId;
    this.bits = bits;
  }

  /** The file name part for this user id: the name in lower case, words joined by '-'. */
  public String slug() {
    Matcher m = USER_ID.matcher(userId);
    m.matches();
    String slug = slugOf(m.group(1));
    return slug.isEmpty() ? slugOf(m.group(2).substring(0, m.group(2).indexOf('@'))) : slug;
  }

  private static String slugOf(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
  }

  /**
   * Generates the key and writes both files into {@code dir} (created if missing).
   *
   * @param passphrase protects the secret key when not null
   * @throws SigningException a failure: a file is in the way or cannot be written
   */
  public KeyFiles writeTo(Path dir, char[] passphrase) throws SigningException {
    Path publicFile = dir.resolve("RPM-GPG-KEY-" + slug());
    Path secretFile = dir.resolve(slug() + ".secret.asc");
    for (Path p : new Path[] {publicFile, secretFile}) {
      if (Files.exists(p)) {
        throw SigningException.failure(p + ": exists; a key is never overwritten");
      }
    }
    PGPKeyRingGenerator rings = generate(passphrase);
    byte[] publicArmored;
    byte[] secretArmored;
    try {
      publicArmored = armored(rings.generatePublicKeyRing().getEncoded());
      secretArmored = armored(rings.generateSecretKeyRing().getEncoded());
    } catch (IOException e) {
      throw SigningException.failure("cannot encode the key: " + e.getMessage());
    }
    try {
      Files.createDirectories(dir);
      // The secret first, created 0600 before a byte is written; the public key only once the
      // secret is safe, so a half-done run never leaves a public key without its secret.
      write(secretFile, secretArmored, "rw-------");
      write(publicFile, publicArmored, "rw-r--r--");
    } catch (IOException e) {
      throw SigningException.failure(IoErrors.describe(e));
    }
    return new KeyFiles(
        publicFile, secretFile, rings.generatePublicKeyRing().getPublicKey().getKeyID());
  }

  private PGPKeyRingGenerator generate(char[] passphrase) throws SigningException {
    try {
      RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
      rsa.init(
          new RSAKeyGenerationParameters(
              BigInteger.valueOf(0x10001), new SecureRandom(), bits, 80));
      PGPKeyPair pair =
          new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
      hashed.setPreferredHashAlgorithms(
          false,
          new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
      hashed.setPreferredSymmetricAlgorithms(
          false, new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
      hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
      hashed.setIssuerFingerprint(false, pair.getPublicKey());
      hashed.setIssuerKeyID(false, pair.getKeyID());
      BcPGPDigestCalculatorProvider digests = new BcPGPDigestCalculatorProvider();
      PBESecretKeyEncryptor encryptor =
          passphrase == null
              ? null
              : new BcPBESecretKeyEncryptorBuilder(
                      SymmetricKeyAlgorithmTags.AES_256,
                      digests.get(HashAlgorithmTags.SHA256),
                      0x60)
                  .build(passphrase);
      return new PGPKeyRingGenerator(
          PGPSignature.POSITIVE_CERTIFICATION,
          pair,
          userId,
          // The secret key's own integrity check (RFC 4880 S2K usage 254), not a signature.
          digests.get(HashAlgorithmTags.SHA1),
          hashed.generate(),
          null,
          new BcPGPContentSignerBuilder(
              PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
          encryptor);
    } catch (PGPException e) {
      throw SigningException.failure("cannot generate the key: " + e.getMessage());
    }
  }

  private static byte[] armored(byte[] encoded) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
      armor.write(encoded);
    }
    return out.toByteArray();
  }

  private static void write(Path file, byte[] content, String mode) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "exists; a key is never overwritten");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      OutputStream out = Channels.newOutputStream(channel);
      out.write(content);
      channel.force(true);
    }
  }
}
