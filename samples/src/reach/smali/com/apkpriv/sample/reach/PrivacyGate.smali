.class public final Lcom/apkpriv/sample/reach/PrivacyGate;
.super Ljava/lang/Object;
.source "PrivacyGate.java"

# Case i: the analytics SDK is initialised only once the stored consent flag is set
# (SharedPreferences "privacy_agreed"), next to the privacy-policy prompt.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static initSdksIfAgreed(Landroid/content/Context;)V
    .registers 7
    const-string v0, "app_settings"
    const/4 v1, 0x0
    invoke-virtual {p0, v0, v1}, Landroid/content/Context;->getSharedPreferences(Ljava/lang/String;I)Landroid/content/SharedPreferences;
    move-result-object v0
    const-string v2, "privacy_agreed"
    invoke-interface {v0, v2, v1}, Landroid/content/SharedPreferences;->getBoolean(Ljava/lang/String;Z)Z
    move-result v0
    if-nez v0, :agreed

    const-string v0, "Reach"
    const-string v1, "Waiting for the user to accept the privacy policy (\u9690\u79c1\u653f\u7b56) before starting analytics"
    invoke-static {v0, v1}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I
    return-void

    :agreed
    const-string v2, "60a1b2c3d4e5f60718293a4b"
    const-string v3, "official"
    const/4 v4, 0x1
    const/4 v5, 0x0
    invoke-static {p0, v2, v3, v4, v5}, Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V
    return-void
.end method
