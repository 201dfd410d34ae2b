.class final Lcom/apkpriv/sample/reach/ImeiSource;
.super Ljava/lang/Object;
.source "ImeiSource.java"

# Case b: the only IdSource; reached through invoke-interface IdSource.read.

.implements Lcom/apkpriv/sample/reach/IdSource;

.method constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public read(Landroid/content/Context;)Ljava/lang/String;
    .registers 3
    const-string v0, "phone"
    invoke-virtual {p1, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/telephony/TelephonyManager;
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
