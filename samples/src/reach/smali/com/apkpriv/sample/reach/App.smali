.class public Lcom/apkpriv/sample/reach/App;
.super Landroid/app/Application;
.source "App.java"

# Case a: App.onCreate -> Init.start -> Collector.collect -> TelephonyManager.getDeviceId.
# Case i: App.onCreate -> PrivacyGate.initSdksIfAgreed (consent flag checked before the SDK init).

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Application;-><init>()V
    return-void
.end method

.method public onCreate()V
    .registers 1
    invoke-super {p0}, Landroid/app/Application;->onCreate()V
    invoke-static {p0}, Lcom/apkpriv/sample/reach/Init;->start(Landroid/content/Context;)V
    invoke-static {p0}, Lcom/apkpriv/sample/reach/PrivacyGate;->initSdksIfAgreed(Landroid/content/Context;)V
    return-void
.end method
