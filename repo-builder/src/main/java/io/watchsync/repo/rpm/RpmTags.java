package io.watchsync.repo.rpm;

/** The header tags the repository metadata needs (rpmtag.h). */
public final class RpmTags {
  // signature header
  public static final int SIG_SIZE = 1000;
  public static final int SIG_MD5 = 1004;
  public static final int SIG_SHA1 = 269;
  public static final int SIG_SHA256 = 273;
  public static final int SIG_LONGSIZE = 270;

  // main header
  public static final int NAME = 1000;
  public static final int VERSION = 1001;
  public static final int RELEASE = 1002;
  public static final int EPOCH = 1003;
  public static final int SUMMARY = 1004;
  public static final int DESCRIPTION = 1005;
  public static final int BUILDTIME = 1006;
  public static final int BUILDHOST = 1007;
  public static final int SIZE = 1009;
  public static final int VENDOR = 1011;
  public static final int LICENSE = 1014;
  public static final int PACKAGER = 1015;
  public static final int GROUP = 1016;
  public static final int URL = 1020;
  public static final int ARCH = 1022;
  public static final int SOURCERPM = 1044;
  public static final int ARCHIVESIZE = 1046;
  public static final int PAYLOADDIGEST = 5092;
  public static final int PAYLOADDIGESTALGO = 5093;
  public static final int LONGSIZE = 5009;
  public static final int LONGARCHIVESIZE = 271;

  private RpmTags() {}
}
