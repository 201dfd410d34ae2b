.class public Lcom/umeng/commonsdk/UMConfigure;
.super Ljava/lang/Object;
.source "UMConfigure.java"

# Case i: Umeng's init (real public signature), called only after the consent check; reads
# the IMEI through DeviceConfig.

.field private static sImei:Ljava/lang/String;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V
    .registers 6
    invoke-static {p0}, Lcom/umeng/commonsdk/statistics/common/DeviceConfig;->getImei(Landroid/content/Context;)Ljava/lang/String;
    move-result-object v0
    sput-object v0, Lcom/umeng/commonsdk/UMConfigure;->sImei:Ljava/lang/String;
    return-void
.end method
